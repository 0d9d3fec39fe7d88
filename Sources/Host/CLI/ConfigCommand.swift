import ArgumentParser
import Foundation
import PluginABI

/// `mini-siem config check`.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Work with the config file.", subcommands: [Check.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate the config file, including each enabled plugin's section, without starting.")
        @OptionGroup var global: GlobalOptions
        @Option(name: .long, help: "Plugin directory (overrides `plugin_dir`).") var pluginDir: String?

        func run() throws {
            var c = try global.loadConfig()
            if let pluginDir { c.pluginDir = pluginDir }
            let problems = try Self.checkPluginSections(c)
            guard problems.errors.isEmpty else {
                throw HostError("plugin config: " + problems.errors.joined(separator: "; "))
            }
            print("""
                config OK: \(global.config ?? Paths.defaultConfig)
                  threshold: \(Engine.format(c.failuresThreshold)) attempts in \(c.windowSeconds)s -> block \(c.blockSeconds)s \
                (x\(Engine.format(c.repeatFactor)) per repeat, at most \(c.maxBlockSeconds)s)
                  whitelist: \(c.whitelist.map(\.description).joined(separator: ", "))
                  database: \(c.database)
                  plugins: \(c.pluginDir)\(c.disabledPlugins.isEmpty ? "" : " (disabled: \(c.disabledPlugins.joined(separator: ", ")))")
                """)
            for line in problems.notes { print("  \(line)") }
        }

        /// Creates and destroys each enabled plugin with its section: `create`
        /// validates and must not touch the system (docs/plugin-abi.md), so this
        /// is safe. Runs against a scratch store, never the real database.
        static func checkPluginSections(_ c: Config) throws -> (errors: [String], notes: [String]) {
            let found = PluginLoader.load(directory: c.pluginDir)
            var errors: [String] = [], notes = found.refused.map { "\($0)" }
            let scratch = NSTemporaryDirectory() + "mini-siem-check-" + UUID().uuidString
            defer { try? FileManager.default.removeItem(atPath: scratch) }
            let engine = try Engine(config: c, store: try Store(path: scratch + "/check.db"))
            for file in found.plugins where !c.disabledPlugins.contains(file.name) {
                let p = PluginInstance(file: file, engine: engine, config: c)
                do {
                    try p.create(configJSON: c.pluginSections[file.name] ?? "{}")
                    p.destroy()
                    notes.append("plugin \(file.name): config OK")
                } catch {
                    errors.append("\(error)")
                }
            }
            for section in c.unusedPluginSections(installed: found.plugins) {
                notes.append("plugins.\(section): no such plugin in \(c.pluginDir) (section unused)")
            }
            return (errors, notes)
        }
    }
}

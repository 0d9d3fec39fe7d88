import ArgumentParser
import Foundation

/// `mini-siem plugins list|info|enable|disable`.
struct PluginsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins", abstract: "List, inspect, enable and disable plugins.",
        subcommands: [List.self, Info.self, Enable.self, Disable.self])

    /// Options shared by the plugin commands.
    struct PluginOptions: ParsableArguments {
        @OptionGroup var global: GlobalOptions
        @Option(name: .long, help: "Plugin directory (overrides `plugin_dir`).") var pluginDir: String?

        func scan() throws -> (Config, [PluginRow]) {
            var config = try global.loadConfig()
            if let pluginDir { config.pluginDir = pluginDir }
            let found = PluginLoader.load(directory: config.pluginDir)
            var rows = found.plugins.map { p in
                PluginRow(name: p.name, version: p.version, kinds: p.kindNames, abi: p.abi, file: p.path,
                          enabled: !config.disabledPlugins.contains(p.name), status: "loadable",
                          description: p.summary, configSchema: p.configSchema)
            }
            rows += found.refused.map {
                PluginRow(name: nil, version: nil, kinds: [], abi: nil, file: $0.path, enabled: false,
                          status: "refused: \($0.reason)", description: nil, configSchema: nil)
            }
            return (config, rows)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the plugins in the plugin directory.")
        @OptionGroup var options: PluginOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let (config, rows) = try options.scan()
            if output.json { return print(JSONText.encode(rows, pretty: true)) }
            if rows.isEmpty { return print("No plugins in \(config.pluginDir).") }
            print(Table.render(["NAME", "VERSION", "KINDS", "ABI", "ENABLED", "STATUS", "FILE"], rows.map {
                [$0.name ?? "-", $0.version ?? "-", $0.kinds.joined(separator: ","), $0.abi ?? "-",
                 $0.enabled ? "yes" : "no", $0.status, $0.file]
            }))
        }
    }

    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one plugin's details and config schema.")
        @OptionGroup var options: PluginOptions
        @Argument(help: "Plugin name.") var name: String

        func run() throws {
            let (config, rows) = try options.scan()
            guard let p = rows.first(where: { $0.name == name }) else {
                throw ValidationError("no plugin named \(name) in \(config.pluginDir)")
            }
            print("""
                name:        \(name)
                version:     \(p.version ?? "-")
                description: \(p.description ?? "-")
                kinds:       \(p.kinds.joined(separator: ", "))
                abi:         \(p.abi ?? "-")
                file:        \(p.file)
                enabled:     \(p.enabled ? "yes" : "no")
                config:      plugins.\(name) in the config file
                """)
            if let schema = p.configSchema { print("schema:      \(schema)") }
        }
    }

    struct Enable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a plugin (edits disabled_plugins in the config).")
        @OptionGroup var options: PluginOptions
        @Argument(help: "Plugin name.") var name: String
        func run() throws { try PluginsCommand.set(name, disabled: false, options: options) }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a plugin (edits disabled_plugins in the config).")
        @OptionGroup var options: PluginOptions
        @Argument(help: "Plugin name.") var name: String
        func run() throws { try PluginsCommand.set(name, disabled: true, options: options) }
    }

    static func set(_ name: String, disabled: Bool, options: PluginOptions) throws {
        let (config, rows) = try options.scan()
        guard rows.contains(where: { $0.name == name }) else {
            throw ValidationError("no plugin named \(name) in \(config.pluginDir)")
        }
        let path = options.global.config ?? Paths.defaultConfig
        let old = FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let new = ConfigEditor.setDisabled(name, disabled: disabled, in: old)
        do {
            _ = try ConfigLoader.parse(new, file: path)
        } catch {
            throw HostError("not changing \(path): the edit would make it invalid: \(error)")
        }
        do {
            try new.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw HostError("cannot write \(path): \(error.localizedDescription)")
        }
        print("\(disabled ? "Disabled" : "Enabled") \(name) in \(path); restart the daemon to apply.")
    }
}

/// One line of `plugins list`.
struct PluginRow: Codable {
    var name: String?
    var version: String?
    var kinds: [String]
    var abi: String?
    var file: String
    var enabled: Bool
    var status: String
    var description: String?
    var configSchema: String?
}

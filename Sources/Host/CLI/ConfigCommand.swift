import ArgumentParser

/// `mini-siem config check`.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Work with the config file.", subcommands: [Check.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate the config file without starting.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let c = try global.loadConfig()
            print("""
                config OK: \(global.config ?? Paths.defaultConfig)
                  threshold: \(Engine.format(c.failuresThreshold)) attempts in \(c.windowSeconds)s -> block \(c.blockSeconds)s \
                (x\(Engine.format(c.repeatFactor)) per repeat, at most \(c.maxBlockSeconds)s)
                  whitelist: \(c.whitelist.map(\.description).joined(separator: ", "))
                  database: \(c.database)
                  plugins: \(c.pluginDir)\(c.disabledPlugins.isEmpty ? "" : " (disabled: \(c.disabledPlugins.joined(separator: ", ")))")
                """)
        }
    }
}

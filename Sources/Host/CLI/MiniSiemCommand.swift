import ArgumentParser

/// `mini-siem`: the daemon and the tools to inspect and undo what it did.
public struct MiniSiemCommand: ParsableCommand {
    public static let version = "0.1.0"

    public static let configuration = CommandConfiguration(
        commandName: "mini-siem",
        abstract: "Stops SSH brute force: reads sshd's log, records events, blocks attackers.",
        version: version,
        subcommands: [
            RunCommand.self, EventsCommand.self, ActionsCommand.self, BlockedCommand.self,
            UnblockCommand.self, BlockCommand.self, CheckLogCommand.self, ReplayCommand.self, PluginsCommand.self,
            ConfigCommand.self,
        ]
    )

    public init() {}
}

/// Options every command shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Config file (default: /etc/mini_siem/config.yaml; defaults when absent).")
    var config: String?

    @Option(name: .long, help: "Database file (overrides `database` in the config).")
    var db: String?

    func loadConfig() throws -> Config {
        do {
            var c = try ConfigLoader.load(path: config)
            if let db { c.database = db }
            return c
        } catch let error as ConfigError {
            throw HostError(error.description)
        }
    }

    /// Opens the store for reading; a missing database means nothing recorded yet.
    func openStore(_ c: Config, readOnly: Bool = true) throws -> Store {
        do {
            return try Store(path: c.database, readOnly: readOnly)
        } catch {
            throw HostError("\(error)")
        }
    }
}

/// Options of the listing commands.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false
}

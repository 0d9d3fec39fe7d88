import ArgumentParser
import Foundation

/// `mini-siem run`: the daemon in the foreground (for systemd).
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run the daemon in the foreground until SIGTERM or SIGINT.")

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "Plugin directory (overrides `plugin_dir`).")
    var pluginDir: String?

    func run() throws {
        var config = try global.loadConfig()
        if let pluginDir { config.pluginDir = pluginDir }
        let logs = LogSetup.bootstrap(config: config, files: true)
        if let warning = logs.warning {
            FileHandle.standardError.write(Data("mini-siem: warning: \(warning)\n".utf8))
        }
        Daemon.blockSignals()
        let daemon = try Daemon(config: config, securityLog: logs.securityLog)
        try daemon.start()
        _ = Daemon.waitForSignal()
        daemon.stop()
    }
}

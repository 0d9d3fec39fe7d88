import Foundation
import Logging
import PluginABI

/// One created plugin: its descriptor, instance pointer, the host table it
/// was given, and (for action/UI plugins) its own worker thread.
final class PluginInstance: @unchecked Sendable {
    let file: PluginFile
    let logger: Logger
    unowned let engine: Engine
    /// Top-level config values as C strings for config_get; live as long as we do.
    let configValues: [String: UnsafeMutablePointer<CChar>]
    private(set) var table: UnsafeMutablePointer<siem_host_api>!
    private(set) var instance: UnsafeMutableRawPointer?
    var worker: PluginWorker?

    var name: String { file.name }
    var descriptor: siem_plugin_descriptor { file.descriptor.pointee }

    init(file: PluginFile, engine: Engine, config: Config) {
        self.file = file
        self.engine = engine
        var log = Logger(label: "plugin.\(file.name)")
        log[metadataKey: "plugin"] = "\(file.name)"
        logger = log
        configValues = config.topLevelJSON.compactMapValues { strdup($0) }
        table = HostTable.make(for: self)
    }

    deinit {
        configValues.values.forEach { free($0) }
        table.deallocate()
    }

    /// Calls the plugin's create() with its config section.
    func create(configJSON: String) throws {
        var err = [CChar](repeating: 0, count: Int(SIEM_ERROR_MAX))
        let made = descriptor.create(UnsafePointer(table), configJSON, &err, err.count)
        guard let made else {
            let message = err.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw HostError("plugin \(name) (\(file.path)) not loaded: create failed: \(message.isEmpty ? "no message" : message)")
        }
        instance = made
    }

    /// The plugin's last error, for log lines after a failed call.
    func lastError() -> String {
        guard let fn = descriptor.last_error, let s = fn(instance) else { return "no message" }
        return String(cString: s)
    }

    func start() throws {
        let rc = descriptor.start(instance)
        guard rc == SIEM_OK else { throw HostError("plugin \(name) failed to start: \(lastError())") }
    }

    func stop() {
        let rc = descriptor.stop(instance)
        if rc != SIEM_OK { logger.error("stop failed", metadata: ["error": "\(lastError())"]) }
    }

    func destroy() {
        descriptor.destroy(instance)
        instance = nil
    }
}

import Foundation
import PluginABI

/// Builds the static C descriptor for a `SiemPlugin` type and routes the C
/// lifecycle calls to it. A shared object holds one plugin type, and each
/// shared object has its own copy of this module, so the state here is
/// per-plugin.
public enum PluginExport {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var exported: UnsafeMutablePointer<siem_plugin_descriptor>?
    nonisolated(unsafe) fileprivate static var factory: ((HostAPI, String) throws -> AnyObject)?
    nonisolated(unsafe) fileprivate static var pluginType: (any SiemPlugin.Type)?

    /// The descriptor to return from `siem_plugin_entry`, or nil when the host's
    /// ABI major differs (the host also checks, and says why).
    public static func descriptor<P: SiemPlugin>(
        for type: P.Type, hostMajor: UInt32, hostMinor: UInt32
    ) -> UnsafePointer<siem_plugin_descriptor>? {
        guard hostMajor == UInt32(SIEM_ABI_MAJOR) else { return nil }
        return lock.withLock {
            if let exported { return UnsafePointer(exported) }
            pluginType = type
            factory = { host, json in
                let config = try JSONDecoder().decode(P.Config.self, from: Data(json.utf8))
                return try P(host: host, config: config)
            }
            let d = UnsafeMutablePointer<siem_plugin_descriptor>.allocate(capacity: 1)
            d.initialize(to: siem_plugin_descriptor())
            d.pointee.struct_size = UInt32(MemoryLayout<siem_plugin_descriptor>.size)
            d.pointee.abi_major = UInt32(SIEM_ABI_MAJOR)
            d.pointee.abi_minor = UInt32(SIEM_ABI_MINOR)
            d.pointee.kinds = P.kinds.rawValue
            d.pointee.name = UnsafePointer(strdup(P.name))
            d.pointee.version = UnsafePointer(strdup(P.version))
            d.pointee.description = UnsafePointer(strdup(P.summary))
            d.pointee.config_schema = P.configSchema.map { UnsafePointer(strdup($0)) }
            d.pointee.create = pluginCreate
            d.pointee.start = pluginStart
            d.pointee.stop = pluginStop
            d.pointee.destroy = pluginDestroy
            d.pointee.on_event = pluginOnEvent
            d.pointee.on_decision = pluginOnDecision
            d.pointee.last_error = pluginLastError
            exported = d
            return UnsafePointer(d)
        }
    }
}

/// The instance handed to the host: the plugin plus its last error.
private final class PluginBox {
    let plugin: any SiemPlugin
    private let lock = NSLock()
    private var lastErrorText: UnsafeMutablePointer<CChar>?

    init(_ plugin: any SiemPlugin) { self.plugin = plugin }

    func run(_ body: () throws -> Void) -> siem_rc {
        do {
            try body()
            return SIEM_OK
        } catch {
            let text = strdup(String(describing: error))
            lock.withLock {
                free(lastErrorText)
                lastErrorText = text
            }
            return SIEM_ERR_FAILED
        }
    }

    var lastError: UnsafePointer<CChar>? { lock.withLock { lastErrorText.map { UnsafePointer($0) } } }

    static func from(_ p: UnsafeMutableRawPointer?) -> PluginBox {
        Unmanaged<PluginBox>.fromOpaque(p!).takeUnretainedValue()
    }
}

private func pluginCreate(
    host: UnsafePointer<siem_host_api>?, config: UnsafePointer<CChar>?,
    err: UnsafeMutablePointer<CChar>?, errLen: Int
) -> UnsafeMutableRawPointer? {
    guard let host, let factory = PluginExport.factory else {
        writeCError("no host table", to: err, capacity: errLen)
        return nil
    }
    let json = config.map { String(cString: $0) } ?? "{}"
    do {
        guard let plugin = try factory(HostAPI(host), json) as? any SiemPlugin else {
            writeCError("plugin factory returned the wrong type", to: err, capacity: errLen)
            return nil
        }
        return Unmanaged.passRetained(PluginBox(plugin)).toOpaque()
    } catch let error as DecodingError {
        writeCError("invalid config: \(describe(error))", to: err, capacity: errLen)
    } catch {
        writeCError(String(describing: error), to: err, capacity: errLen)
    }
    return nil
}

/// A short, key-path naming message for a config decoding failure.
private func describe(_ error: DecodingError) -> String {
    func path(_ c: DecodingError.Context) -> String {
        c.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }
    switch error {
    case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c):
        return "\(path(c)): \(c.debugDescription)"
    case .keyNotFound(let key, let c):
        return "\(path(c).isEmpty ? "" : path(c) + ".")\(key.stringValue): required key missing"
    @unknown default:
        return String(describing: error)
    }
}

private func pluginStart(_ p: UnsafeMutableRawPointer?) -> siem_rc {
    let box = PluginBox.from(p)
    return box.run { try box.plugin.start() }
}

private func pluginStop(_ p: UnsafeMutableRawPointer?) -> siem_rc {
    PluginBox.from(p).plugin.stop()
    return SIEM_OK
}

private func pluginDestroy(_ p: UnsafeMutableRawPointer?) {
    guard let p else { return }
    Unmanaged<PluginBox>.fromOpaque(p).release()
}

private func pluginOnEvent(_ p: UnsafeMutableRawPointer?, _ e: UnsafePointer<siem_event>?) -> siem_rc {
    guard let e else { return SIEM_ERR_INVALID }
    let box = PluginBox.from(p)
    return box.run { try box.plugin.onEvent(PluginEvent(e)) }
}

private func pluginOnDecision(_ p: UnsafeMutableRawPointer?, _ d: UnsafePointer<siem_decision>?) -> siem_rc {
    guard let d else { return SIEM_ERR_INVALID }
    let box = PluginBox.from(p)
    return box.run { try box.plugin.onDecision(PluginDecision(d)) }
}

private func pluginLastError(_ p: UnsafeMutableRawPointer?) -> UnsafePointer<CChar>? {
    PluginBox.from(p).lastError
}

import Foundation
import PluginABI

/// A plugin whose descriptor the loader accepted. The shared object stays
/// loaded for the life of the process (Swift code must never be dlclose()d).
public struct PluginFile: @unchecked Sendable {
    public let path: String
    public let descriptor: UnsafePointer<siem_plugin_descriptor>

    public var name: String { String(cString: descriptor.pointee.name) }
    public var version: String { String(cString: descriptor.pointee.version) }
    public var summary: String { String(cString: descriptor.pointee.description) }
    public var kinds: UInt32 { descriptor.pointee.kinds }
    public var abi: String { "\(descriptor.pointee.abi_major).\(descriptor.pointee.abi_minor)" }
    public var configSchema: String? { descriptor.pointee.config_schema.map { String(cString: $0) } }

    public func has(_ kind: siem_plugin_kind) -> Bool { kinds & kind.rawValue != 0 }

    /// `source, action` etc.
    public var kindNames: [String] {
        [(SIEM_KIND_SOURCE, "source"), (SIEM_KIND_ENRICHER, "enricher"), (SIEM_KIND_DETECTOR, "detector"),
         (SIEM_KIND_ACTION, "action"), (SIEM_KIND_UI, "ui")].filter { has($0.0) }.map(\.1)
    }
}

/// Why a file in the plugin directory was not loaded.
public struct PluginRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "plugin \(path) not loaded: \(reason)" }
}

import PluginABI

/// A plugin written in Swift. One type per shared object; export it with
/// `PluginExport.descriptor(for:)` from the `siem_plugin_entry` function.
///
/// Threading follows `siem_plugin.h`: `init`, `start`, `stop` run on the
/// host's main thread; `onEvent`/`onDecision` on the pipeline thread
/// (detectors) or the plugin's own queue thread (actions, UI).
public protocol SiemPlugin: AnyObject {
    /// The plugin's config section, decoded from the JSON the host passes.
    associatedtype Config: Decodable

    static var name: String { get }
    static var version: String { get }
    static var summary: String { get }
    static var kinds: PluginKinds { get }
    /// JSON Schema (or a plain description) of `Config`.
    static var configSchema: String? { get }

    /// Throws a `PluginError` (or any error) to refuse to start; its text
    /// becomes the loader's message.
    init(host: HostAPI, config: Config) throws
    func start() throws
    func stop()
    func onEvent(_ event: PluginEvent) throws
    func onDecision(_ decision: PluginDecision) throws
}

extension SiemPlugin {
    public static var configSchema: String? { nil }
    public func start() throws {}
    public func stop() {}
    public func onEvent(_ event: PluginEvent) throws {}
    public func onDecision(_ decision: PluginDecision) throws {}
}

/// The `kinds` bit set of a descriptor.
public struct PluginKinds: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let source = PluginKinds(rawValue: SIEM_KIND_SOURCE.rawValue)
    public static let enricher = PluginKinds(rawValue: SIEM_KIND_ENRICHER.rawValue)
    public static let detector = PluginKinds(rawValue: SIEM_KIND_DETECTOR.rawValue)
    public static let action = PluginKinds(rawValue: SIEM_KIND_ACTION.rawValue)
    public static let ui = PluginKinds(rawValue: SIEM_KIND_UI.rawValue)
}

/// An error whose text the host shows as the plugin's last error.
public struct PluginError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A config problem, naming the key path (`repeat_offender.factor`, `whitelist[2]`).
public struct ConfigError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let keyPath: String
    public let message: String

    public var description: String {
        keyPath.isEmpty ? "\(file): \(message)" : "\(file): \(keyPath): \(message)"
    }
}

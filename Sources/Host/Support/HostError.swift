/// A failure the host reports to the user as one clear line.
public struct HostError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

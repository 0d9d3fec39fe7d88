/// The kind of security event an sshd line reports.
///
/// Raw values match `siem_event_kind` in Sources/PluginABI/include/siem_plugin.h.
public enum SSHEventKind: UInt32, Sendable, CaseIterable {
    case authFailure = 1
    case invalidUser = 2
    case userNotAllowed = 3
    case rootRefused = 4
    case maxAuthExceeded = 5
    case preauthDisconnect = 6
    case protocolError = 7
    case authSuccess = 8

    /// The snake_case name used in expected.jsonl, the store and the API ("auth_failure", ...).
    public var name: String {
        switch self {
        case .authFailure: "auth_failure"
        case .invalidUser: "invalid_user"
        case .userNotAllowed: "user_not_allowed"
        case .rootRefused: "root_refused"
        case .maxAuthExceeded: "max_auth_exceeded"
        case .preauthDisconnect: "preauth_disconnect"
        case .protocolError: "protocol_error"
        case .authSuccess: "auth_success"
        }
    }

    /// The kind whose `name` is `name`, or nil.
    public init?(name: String) {
        guard let kind = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = kind
    }
}

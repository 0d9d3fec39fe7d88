import PluginKit

/// The firewall names and sizes mini-siem uses when the config says nothing.
///
/// This is the one place in Swift that holds them. `scripts/setup.sh`
/// (`--ensure-firewall`, `--uninstall`) has its own copy at its top, because
/// it must work without the daemon; change both together.
enum FirewallDefaults {
    static let setV4 = "mini_siem_v4"
    static let setV6 = "mini_siem_v6"
    /// Room for a large botnet; memory grows with the entries, not with this.
    static let maxelem: UInt32 = 1_048_576
    static let hashsize: UInt32 = 65_536
    static let chains = ["INPUT"]
    /// The `-m comment` text that marks our rules, so they can be found and removed.
    static let ruleComment = "mini-siem"
    /// The chain Docker evaluates before its own forwarding rules.
    static let dockerUserChain = "DOCKER-USER"
}

/// The `ipset_blocker` section of the config. Every key is optional; an
/// unknown key is an error that names it (a typo must not silently fall back
/// to a default).
struct BlockerConfig: Decodable, Sendable {
    var setV4 = FirewallDefaults.setV4
    var setV6 = FirewallDefaults.setV6
    var maxelem = FirewallDefaults.maxelem
    var hashsize = FirewallDefaults.hashsize
    var chains = FirewallDefaults.chains
    var dockerUser = false
    var dryRun = false
    var ipv6 = true

    enum Key: String, CodingKey, CaseIterable {
        case setV4 = "set_v4", setV6 = "set_v6", maxelem, hashsize, chains
        case dockerUser = "docker_user", dryRun = "dry_run", ipv6
    }

    init() {}

    init(from decoder: Decoder) throws {
        // An empty section (`ipset_blocker:` in YAML) arrives as null: all defaults.
        if let single = try? decoder.singleValueContainer(), single.decodeNil() { return }
        let any = try decoder.container(keyedBy: AnyKey.self)
        let known = Set(Key.allCases.map(\.rawValue))
        if let unknown = any.allKeys.first(where: { !known.contains($0.stringValue) }) {
            throw DecodingError.dataCorrupted(.init(
                codingPath: [unknown],
                debugDescription: "unknown key '\(unknown.stringValue)' (known: \(Key.allCases.map(\.rawValue).joined(separator: ", ")))"))
        }
        let c = try decoder.container(keyedBy: Key.self)
        setV4 = try c.decodeIfPresent(String.self, forKey: .setV4) ?? setV4
        setV6 = try c.decodeIfPresent(String.self, forKey: .setV6) ?? setV6
        maxelem = try c.decodeIfPresent(UInt32.self, forKey: .maxelem) ?? maxelem
        hashsize = try c.decodeIfPresent(UInt32.self, forKey: .hashsize) ?? hashsize
        chains = try c.decodeIfPresent([String].self, forKey: .chains) ?? chains
        dockerUser = try c.decodeIfPresent(Bool.self, forKey: .dockerUser) ?? dockerUser
        dryRun = try c.decodeIfPresent(Bool.self, forKey: .dryRun) ?? dryRun
        ipv6 = try c.decodeIfPresent(Bool.self, forKey: .ipv6) ?? ipv6
    }

    /// Checks values that decode fine but would be refused by the kernel or
    /// could be read as an option by iptables. Throws a message naming the key.
    func validate() throws {
        for (key, name) in [("set_v4", setV4), ("set_v6", setV6)] where !Self.isSafeName(name, max: 31) {
            throw PluginError("invalid config: \(key): '\(logSafe(name))' is not a valid set name (1-31 of A-Z a-z 0-9 _ . -, not starting with -)")
        }
        if setV4 == setV6 { throw PluginError("invalid config: set_v4 and set_v6 must differ (both '\(setV4)')") }
        if maxelem == 0 { throw PluginError("invalid config: maxelem must be at least 1") }
        if hashsize < 64 || hashsize > 1 << 30 { throw PluginError("invalid config: hashsize must be between 64 and 1073741824 (got \(hashsize))") }
        if chains.isEmpty { throw PluginError("invalid config: chains must name at least one chain (default [\"INPUT\"])") }
        for chain in chains where !Self.isSafeName(chain, max: 28) {
            throw PluginError("invalid config: chains: '\(logSafe(chain))' is not a valid chain name (1-28 of A-Z a-z 0-9 _ . -, not starting with -)")
        }
        if Set(chains).count != chains.count { throw PluginError("invalid config: chains lists a chain twice: \(chains)") }
    }

    /// The set that holds addresses of `family`.
    func setName(_ family: IPFamily) -> String { family == .v4 ? setV4 : setV6 }

    /// The families this config blocks.
    var families: [IPFamily] { ipv6 ? [.v4, .v6] : [.v4] }

    private static func isSafeName(_ s: String, max: Int) -> Bool {
        guard let first = s.utf8.first, first != UInt8(ascii: "-"), s.utf8.count <= max else { return false }
        return s.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a)
                || b == UInt8(ascii: "_") || b == UInt8(ascii: ".") || b == UInt8(ascii: "-")
        }
    }

    /// JSON Schema of this section, handed to the host for `plugin info`.
    static let schema = """
    {"type":"object","additionalProperties":false,"properties":{\
    "set_v4":{"type":"string","default":"\(FirewallDefaults.setV4)"},\
    "set_v6":{"type":"string","default":"\(FirewallDefaults.setV6)"},\
    "maxelem":{"type":"integer","minimum":1,"default":\(FirewallDefaults.maxelem)},\
    "hashsize":{"type":"integer","minimum":64,"default":\(FirewallDefaults.hashsize)},\
    "chains":{"type":"array","items":{"type":"string"},"default":["INPUT"]},\
    "docker_user":{"type":"boolean","default":false},\
    "dry_run":{"type":"boolean","default":false},\
    "ipv6":{"type":"boolean","default":true}}}
    """
}

/// Any key, to find the ones `BlockerConfig.Key` does not know.
private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

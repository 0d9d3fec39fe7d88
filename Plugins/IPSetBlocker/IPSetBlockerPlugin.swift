import PluginABI
import PluginKit
import SSHLog
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The plugin's only exported symbol (see Plugins/plugin.exports).
@_cdecl("siem_plugin_entry")
public func siem_plugin_entry(_ major: UInt32, _ minor: UInt32) -> UnsafePointer<siem_plugin_descriptor>? {
    PluginExport.descriptor(for: IPSetBlockerPlugin.self, hostMajor: major, hostMinor: minor)
}

/// Carries out block decisions in the kernel: an ipset `hash:ip` set per
/// family with per-entry timeouts, matched by a DROP rule at the top of INPUT
/// (iptables and ip6tables). At start it sets the firewall up and reconciles
/// the sets with the store's active bans.
final class IPSetBlockerPlugin: SiemPlugin {
    typealias Config = BlockerConfig

    static let name = "ipset_blocker"
    static let version = "0.1.0"
    static let summary = "Blocks addresses with ipset hash:ip sets and iptables/ip6tables DROP rules"
    static let kinds: PluginKinds = .action
    static var configSchema: String? { BlockerConfig.schema }

    private let host: HostAPI
    private let log: BlockerLog
    private let dryRun: Bool
    /// One lock for every firewall call: start/stop run on the host's main
    /// thread, decisions on this plugin's queue thread, and libipset is not
    /// thread-safe.
    private let firewall: Mutex<Firewall>

    init(host: HostAPI, config: BlockerConfig) throws {
        try config.validate()
        self.host = host
        let log = BlockerLog(isLogged: { host.isLogged($0) }, sink: { level, message in host.log(level, message) })
        self.log = log
        let euid = geteuid()
        dryRun = config.dryRun || euid != 0
        if dryRun {
            let why = config.dryRun ? "dry_run: true in the config" : "not running as root (euid \(euid))"
            log.warning("DRY RUN (\(why)): the firewall will NOT be changed; each change is logged as the command it would run")
        }
        firewall = Mutex(Firewall(config: config, dryRun: dryRun, log: log))
    }

    /// Sets the firewall up, then reconciles it with the store. Fails when the
    /// setup is incomplete, after reconciling what it could.
    func start() throws {
        var setupError: Error?
        do { try firewall.withLock { try $0.ensure() } } catch { setupError = error }
        reconcileWithStore()
        if let setupError { throw setupError }
    }

    func stop() {
        firewall.withLock { $0.fini() }
    }

    /// BLOCK adds the address with the ban's remaining time; UNBLOCK and
    /// EXPIRE remove it. An invalid address is refused and changes nothing.
    func onDecision(_ decision: PluginDecision) throws {
        let verb: String
        switch decision.action {
        case SIEM_ACTION_BLOCK.rawValue: verb = "block"
        case SIEM_ACTION_UNBLOCK.rawValue: verb = "unblock"
        case SIEM_ACTION_EXPIRE.rawValue: verb = "expire"
        default:
            throw refuse("refused decision with unknown action \(decision.action) for \"\(logSafe(decision.address))\"; firewall unchanged")
        }
        guard let address = IPAddress(blockable: decision.address) else {
            throw refuse("refused \(verb) decision: \"\(logSafe(decision.address))\" is not an IPv4 or IPv6 address; firewall unchanged")
        }
        let set = firewall.withLock { $0.handles(address.ipFamily) ? $0.config.setName(address.ipFamily) : nil }
        guard let set else {
            log.notice("ipv6 is off (ipv6: false): \(verb) of \(address) ignored")
            return
        }
        do {
            if decision.isBlock {
                let timeout = BanTimeout.forBan(untilNs: decision.untilNs, durationSeconds: decision.durationSeconds,
                                                nowNs: realtimeNowNs())
                try firewall.withLock { try $0.block(address, for: timeout) }
                report(decision, "blocked \(address) in \(set) \(timeout)")
            } else {
                try firewall.withLock { try $0.release(address) }
                report(decision, "removed \(address) from \(set) (\(verb))")
            }
        } catch {
            throw refuse("\(verb) \(address) failed: \(error)")
        }
    }

    /// Reads the active bans and applies them; a store that cannot be read
    /// leaves the sets untouched (removing entries then could free attackers).
    private func reconcileWithStore() {
        let bans: [ActiveBan]
        do {
            bans = try decodeActiveBans(host.query("bans"))
        } catch {
            log.error("reconcile skipped: cannot read active bans from the store (\(error)); sets left as they are")
            return
        }
        let summaries = firewall.withLock { $0.reconcile(with: bans, nowNs: realtimeNowNs()) }
        for summary in summaries {
            let line = (dryRun ? "dry-run: reconcile " : "reconcile ") + "\(summary)"
            summary.failures.isEmpty ? log.info(line) : log.error(line)
        }
    }

    /// Logs `message` as an error and returns it as the plugin's last error.
    private func refuse(_ message: String) -> PluginError {
        log.error(message)
        return PluginError(message)
    }

    /// Logs a carried-out decision, `what` followed by ` (reason: ..., origin:
    /// ..., action id N)` (the parts present). The host logs every decision
    /// already, so this is debug; a dry run is only visible here, so there it is
    /// info (prefixed `dry-run: would have `). Nothing is built when the host
    /// drops the level.
    private func report(_ d: PluginDecision, _ what: @autoclosure () -> String) {
        log.log(dryRun ? SIEM_LOG_INFO : SIEM_LOG_DEBUG, (dryRun ? "dry-run: would have " : "") + what() + context(d))
    }

    private func context(_ d: PluginDecision) -> String {
        var parts: [String] = []
        if let reason = d.reason { parts.append("reason: \(logSafe(reason))") }
        if let origin = d.origin { parts.append("origin: \(logSafe(origin))") }
        if d.id != 0 { parts.append("action id \(d.id)") }
        return parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ")"
    }
}

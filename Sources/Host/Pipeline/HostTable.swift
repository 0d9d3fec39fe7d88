import Foundation
import Logging
import PluginABI

/// The C functions behind `siem_host_api`. They are free functions (not
/// closures in main.swift) because plugins call them from their own threads.
enum HostTable {
    static func make(for plugin: PluginInstance) -> UnsafeMutablePointer<siem_host_api> {
        let t = UnsafeMutablePointer<siem_host_api>.allocate(capacity: 1)
        t.initialize(to: siem_host_api())
        t.pointee.struct_size = UInt32(MemoryLayout<siem_host_api>.size)
        t.pointee.abi_major = UInt32(SIEM_ABI_MAJOR)
        t.pointee.abi_minor = UInt32(SIEM_ABI_MINOR)
        t.pointee.ctx = Unmanaged.passUnretained(plugin).toOpaque()
        t.pointee.log = hostLog
        t.pointee.emit_event = hostEmitEvent
        t.pointee.request_decision = hostRequestDecision
        t.pointee.query = hostQuery
        t.pointee.free_string = hostFreeString
        t.pointee.config_get = hostConfigGet
        t.pointee.state_get = hostStateGet
        t.pointee.state_set = hostStateSet
        t.pointee.publish = hostPublish
        t.pointee.subscribe = hostSubscribe
        return t
    }
}

private func plugin(_ ctx: UnsafeMutableRawPointer?) -> PluginInstance {
    Unmanaged<PluginInstance>.fromOpaque(ctx!).takeUnretainedValue()
}

private func string(_ p: UnsafePointer<CChar>?) -> String? { p.map { String(cString: $0) } }

private func hostLog(_ ctx: UnsafeMutableRawPointer?, _ level: UInt32, _ message: UnsafePointer<CChar>?) {
    let levels: [Logger.Level] = [.trace, .debug, .info, .notice, .warning, .error, .critical]
    let lvl = levels[Int(min(level, UInt32(levels.count - 1)))]
    plugin(ctx).logger.log(level: lvl, "\(string(message) ?? "")")
}

private func hostEmitEvent(_ ctx: UnsafeMutableRawPointer?, _ event: UnsafePointer<siem_event>?) -> siem_rc {
    guard let event else { return SIEM_ERR_INVALID }
    let p = plugin(ctx)
    return p.engine.accept(event: event, from: p)
}

private func hostRequestDecision(_ ctx: UnsafeMutableRawPointer?, _ d: UnsafePointer<siem_decision>?) -> siem_rc {
    guard let d, let address = string(d.pointee.address) else { return SIEM_ERR_INVALID }
    let p = plugin(ctx)
    let request = DecisionRequest(
        action: d.pointee.action, address: address, durationSeconds: d.pointee.duration_s,
        reason: string(d.pointee.reason) ?? "requested by plugin \(p.name)",
        origin: "plugin:\(p.name)")
    return p.engine.submit(request)
}

private func hostQuery(_ ctx: UnsafeMutableRawPointer?, _ what: UnsafePointer<CChar>?,
                       _ params: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> siem_rc {
    guard let what = string(what), let out else { return SIEM_ERR_INVALID }
    let p = plugin(ctx)
    do {
        let json = try p.engine.query(what, params: string(params))
        out.pointee = strdup(json)
        return SIEM_OK
    } catch let error as QueryError {
        p.logger.warning("query failed", metadata: ["query": "\(what)", "error": "\(error)"])
        return error.rc
    } catch {
        p.logger.error("query failed", metadata: ["query": "\(what)", "error": "\(error)"])
        return SIEM_ERR_FAILED
    }
}

private func hostFreeString(_ ctx: UnsafeMutableRawPointer?, _ s: UnsafeMutablePointer<CChar>?) { free(s) }

private func hostConfigGet(_ ctx: UnsafeMutableRawPointer?, _ key: UnsafePointer<CChar>?) -> UnsafePointer<CChar>? {
    guard let key = string(key), let value = plugin(ctx).configValues[key] else { return nil }
    return UnsafePointer(value)
}

private func hostStateGet(_ ctx: UnsafeMutableRawPointer?, _ key: UnsafePointer<CChar>?,
                          _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> siem_rc {
    guard let key = string(key), let out else { return SIEM_ERR_INVALID }
    let p = plugin(ctx)
    do {
        guard let value = try p.engine.state(plugin: p.name, key: key) else { return SIEM_ERR_NOT_FOUND }
        out.pointee = strdup(value)
        return SIEM_OK
    } catch {
        p.logger.error("state read failed", metadata: ["key": "\(key)", "error": "\(error)"])
        return SIEM_ERR_FAILED
    }
}

private func hostStateSet(_ ctx: UnsafeMutableRawPointer?, _ key: UnsafePointer<CChar>?,
                          _ value: UnsafePointer<CChar>?) -> siem_rc {
    guard let key = string(key) else { return SIEM_ERR_INVALID }
    let p = plugin(ctx)
    // Queued: a write that fails is logged by the audit writer.
    p.engine.setState(plugin: p.name, key: key, value: string(value))
    return SIEM_OK
}

private func hostPublish(_ ctx: UnsafeMutableRawPointer?, _ topic: UnsafePointer<CChar>?,
                         _ json: UnsafePointer<CChar>?) -> siem_rc {
    guard let topic = string(topic), let json = string(json) else { return SIEM_ERR_INVALID }
    plugin(ctx).engine.bus.publish(topic: topic, json: json)
    return SIEM_OK
}

private func hostSubscribe(_ ctx: UnsafeMutableRawPointer?, _ topic: UnsafePointer<CChar>?,
                           _ fn: siem_message_fn?, _ user: UnsafeMutableRawPointer?) -> siem_rc {
    guard let topic = string(topic), let fn else { return SIEM_ERR_INVALID }
    let p = plugin(ctx)
    guard let worker = p.worker else { return SIEM_ERR_UNSUPPORTED }
    p.engine.bus.subscribe(topic: topic, subscriber: Subscriber(worker: worker, fn: fn, user: user))
    return SIEM_OK
}

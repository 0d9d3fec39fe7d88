import Foundation
import PluginABI
import Synchronization

/// A UI plugin's subscription: its messages run on its own worker thread.
struct Subscriber: @unchecked Sendable {
    let worker: PluginWorker
    let fn: siem_message_fn
    let user: UnsafeMutableRawPointer?
}

/// Topics for UI plugins. The host publishes `events`, `decisions` and
/// `stats`; plugins may publish their own.
final class MessageBus: Sendable {
    private let subscribers = Mutex<[String: [Subscriber]]>([:])

    func subscribe(topic: String, subscriber: Subscriber) {
        subscribers.withLock { $0[topic, default: []].append(subscriber) }
    }

    func hasSubscribers(_ topic: String) -> Bool {
        subscribers.withLock { !($0[topic]?.isEmpty ?? true) }
    }

    func publish(topic: String, json: String) {
        let targets = subscribers.withLock { $0[topic] ?? [] }
        for s in targets {
            s.worker.offer(.message(topic: topic, json: json, fn: s.fn, user: s.user))
        }
    }
}

import Foundation
import Yams

/// Converts a YAML subtree to JSON text, for plugin config sections.
enum JSONFromYAML {
    static func text(_ node: Node) throws -> String {
        let object = value(node)
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    static func value(_ node: Node) -> Any {
        switch node {
        case .mapping(let m):
            var out: [String: Any] = [:]
            for (k, v) in m { out[k.string ?? ""] = value(v) }
            return out
        case .sequence(let s):
            return s.map(value)
        case .scalar(let s):
            // Quoted scalars stay text; plain ones resolve like YAML 1.1 core.
            guard s.style == .plain else { return s.string }
            if node.null != nil { return NSNull() }
            if let b = node.bool { return b }
            if let i = node.int { return i }
            if let f = node.float, f.isFinite { return f }
            return s.string
        case .alias:
            return NSNull()
        }
    }
}

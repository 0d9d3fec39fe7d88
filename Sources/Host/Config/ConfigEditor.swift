import Foundation

/// Edits `disabled_plugins` in config.yaml by lines, so the user's comments
/// and layout survive `mini-siem plugins enable|disable`.
public enum ConfigEditor {
    /// Returns `text` with `name` added to or removed from `disabled_plugins`.
    public static func setDisabled(_ name: String, disabled: Bool, in text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let key = "disabled_plugins:"
        guard let at = lines.firstIndex(where: { $0.hasPrefix(key) }) else {
            guard disabled else { return text }
            var out = text
            if !out.isEmpty && !out.hasSuffix("\n") { out += "\n" }
            return out + "# Plugins not to load (mini-siem plugins enable|disable edits this line).\n"
                + "\(key) [\(name)]\n"
        }
        // The value is either inline (`[a, b]`) or a block of `- a` lines below.
        let (inline, comment) = splitComment(String(lines[at].dropFirst(key.count)))
        let trimmed = inline.trimmingCharacters(in: .whitespaces)
        let items = trimmed.isEmpty ? blockItems(lines, after: at) : []
        if !items.isEmpty {
            editBlock(&lines, key: at, items: items, comment: comment, name: name, disabled: disabled)
            return lines.joined(separator: "\n")
        }
        var names = trimmed.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        names.removeAll { $0 == name }
        if disabled { names.append(name) }
        lines[at] = inlineLine(key, names, comment)
        return lines.joined(separator: "\n")
    }

    /// The `- item` lines of a block list starting below `key`: (line index, item name).
    /// Comment and blank lines between items belong to the list and are left alone.
    private static func blockItems(_ lines: [String], after key: Int) -> [(Int, String)] {
        var items: [(Int, String)] = []
        var i = key + 1
        while i < lines.count {
            let line = lines[i].trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("- ") || line == "-" {
                items.append((i, splitComment(String(line.dropFirst(1))).0.trimmingCharacters(in: .whitespaces)))
            } else if !(line.isEmpty || line.hasPrefix("#")) {
                break
            }
            i += 1
        }
        return items
    }

    /// Removes the item lines naming `name`, or adds one below the last item with its
    /// indentation; every other line stays as it was.
    private static func editBlock(_ lines: inout [String], key: Int, items: [(Int, String)],
                                  comment: String, name: String, disabled: Bool) {
        let present = items.filter { $0.1 == name }.map(\.0)
        if disabled {
            guard present.isEmpty, let last = items.last else { return }
            let indent = String(lines[last.0].prefix { $0 == " " || $0 == "\t" })
            lines.insert("\(indent)- \(name)", at: last.0 + 1)
            return
        }
        for index in present.reversed() { lines.remove(at: index) }
        // An empty block would read as null, not as an empty list.
        if present.count == items.count { lines[key] = inlineLine("disabled_plugins:", [], comment) }
    }

    private static func inlineLine(_ key: String, _ names: [String], _ comment: String) -> String {
        "\(key) [\(names.joined(separator: ", "))]" + (comment.isEmpty ? "" : " \(comment)")
    }

    /// Splits `value  # comment` into the value and the comment (with its `#`).
    private static func splitComment(_ s: String) -> (String, String) {
        guard let hash = s.range(of: " #") ?? (s.hasPrefix("#") ? s.range(of: "#") : nil) else { return (s, "") }
        return (String(s[..<hash.lowerBound]), String(s[hash.lowerBound...]).trimmingCharacters(in: .whitespaces))
    }
}

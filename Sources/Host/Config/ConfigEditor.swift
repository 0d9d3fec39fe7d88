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
        var names: [String] = []
        var blockEnd = at + 1
        let trimmed = inline.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty {
            while blockEnd < lines.count {
                let item = lines[blockEnd].trimmingCharacters(in: .whitespaces)
                guard item.hasPrefix("- ") || item == "-" else { break }
                names.append(splitComment(String(item.dropFirst(1))).0.trimmingCharacters(in: .whitespaces))
                blockEnd += 1
            }
        } else {
            names = trimmed.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
                .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
        }
        names.removeAll { $0 == name }
        if disabled { names.append(name) }
        let line = "\(key) [\(names.joined(separator: ", "))]" + (comment.isEmpty ? "" : " \(comment)")
        lines.replaceSubrange(at..<blockEnd, with: [line])
        return lines.joined(separator: "\n")
    }

    /// Splits `value  # comment` into the value and the comment (with its `#`).
    private static func splitComment(_ s: String) -> (String, String) {
        guard let hash = s.range(of: " #") ?? (s.hasPrefix("#") ? s.range(of: "#") : nil) else { return (s, "") }
        return (String(s[..<hash.lowerBound]), String(s[hash.lowerBound...]).trimmingCharacters(in: .whitespaces))
    }
}

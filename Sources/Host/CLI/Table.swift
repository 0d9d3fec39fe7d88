/// Plain-text tables for the terminal. Cells are attacker text, so control
/// characters are escaped: a username must not move the cursor.
enum Table {
    static func render(_ header: [String], _ rows: [[String]]) -> String {
        let safeRows = rows.map { $0.map(safe) }
        var widths = header.map(\.count)
        for row in safeRows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], min(cell.count, 60)) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                i == cells.count - 1 ? c : c.padding(toLength: max(widths[i], c.count), withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        return ([line(header)] + safeRows.map(line)).joined(separator: "\n")
    }

    static func safe(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f || (0x80..<0xa0).contains($0.value) }) else {
            return s
        }
        var out = ""
        for u in s.unicodeScalars {
            if u.value < 0x20 || u.value == 0x7f || (0x80..<0xa0).contains(u.value) {
                out += "\\x" + String(u.value, radix: 16).leftPad(2)
            } else {
                out.unicodeScalars.append(u)
            }
        }
        return out
    }
}

extension String {
    func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}

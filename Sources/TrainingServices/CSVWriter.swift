import Foundation

/// CSV for spreadsheets (RFC 4180: CRLF line ends; a field with a comma, quote or line break
/// quoted, its quotes doubled). A cell that a spreadsheet would run as a formula (starting with
/// `=`, `+`, `-`, `@`, a tab or a carriage return) is prefixed with `'`, so an exported name
/// cannot become a formula (OWASP, "CSV injection"). SwiftCSV, which reads Muster's imports,
/// does not write; this is the writing half.
public enum CSVWriter {
    /// The rows as one CSV text, header first.
    public static func text(header: [String], rows: [[String]]) -> String {
        ([header] + rows).map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    static func field(_ value: String) -> String {
        var value = value
        if let first = value.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) {
            // A number such as -3 is data, not a formula.
            if Double(value) == nil { value = "'" + value }
        }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

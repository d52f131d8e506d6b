public import Foundation
import SwiftCSV

/// Header-first CSV read with SwiftCSV (RFC 4180 quoting; LF, CRLF or CR line ends; a leading
/// UTF-8 byte-order mark as Excel writes it), each record with the line it starts on. All or
/// nothing: a malformed or unterminated quote throws, naming the line. SwiftCSV reports no
/// positions and accepts an unterminated quote silently, so one pass over the text first finds
/// where each record starts and whether a quote is left open.
public enum CSVRows {
    public struct Row: Equatable, Sendable {
        public var line: Int
        public var fields: [String]

        public init(line: Int, fields: [String]) {
            self.line = line
            self.fields = fields
        }
    }

    public struct Problem: Error, Sendable {
        public var line: Int
        public var reason: String
    }

    /// The header row first, then every non-blank record.
    public static func parse(_ data: Data) throws -> [Row] {
        guard let text = String(data: data, encoding: .utf8) else { throw Problem(line: 1, reason: "the file is not UTF-8 text") }
        var recordStarts = [1]
        var line = 1
        var inQuotes = false
        var quoteOpenedOn = 0
        for character in text {
            if character == "\"" {
                inQuotes.toggle()
                if inQuotes { quoteOpenedOn = line }
            } else if character == "\n" || character == "\r\n" || character == "\r" {
                line += 1
                if !inQuotes { recordStarts.append(line) }
            }
        }
        if inQuotes { throw Problem(line: quoteOpenedOn, reason: "a quote opened here is never closed") }
        func start(ofRecord index: Int) -> Int { recordStarts[min(index, recordStarts.count - 1)] }
        let csv: EnumeratedCSV
        do {
            // No rows yet: this reads the header (and drops a byte-order mark).
            csv = try EnumeratedCSV(string: text, delimiter: .comma, loadColumns: false, rowLimit: 0)
        } catch {
            throw Problem(line: 1, reason: "the header's quoting is malformed")
        }
        var rows = [Row(line: 1, fields: csv.header)]
        var delivered = 0
        do {
            // Unlike `rows`, enumeration does not pad short records with empty fields.
            try csv.enumerateAsArray(startAt: 1, rowLimit: nil) { fields in
                delivered += 1
                if fields != [""] { rows.append(Row(line: start(ofRecord: delivered), fields: fields)) }
            }
        } catch {
            throw Problem(line: start(ofRecord: delivered + 1), reason: "the quoting is malformed")
        }
        return rows
    }
}

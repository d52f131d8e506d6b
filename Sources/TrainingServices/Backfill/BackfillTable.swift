import EventLog
import Foundation
import TrainingDomain

/// One CSV file of a backfill, read and checked against the columns its kind takes: the header
/// first (names in any order and case), then the rows, each value trimmed.
struct BackfillTable: Sendable {
    let name: String
    let rows: [BackfillRow]

    /// Reads `data` as the file `name` of kind `kind`.
    static func read(_ data: Data, name: String, kind: any BackfillFile.Type) throws -> BackfillTable {
        let records: [CSVRows.Row]
        do {
            records = try CSVRows.parse(data)
        } catch let problem as CSVRows.Problem {
            throw BackfillError(file: name, line: problem.line, problem.reason)
        }
        guard let headerRow = records.first, headerRow.fields.contains(where: { !$0.isEmpty }) else {
            throw BackfillError(file: name, line: 1, "the first line must name the columns (\(kind.columns.described))")
        }
        let header = headerRow.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        try kind.columns.check(header, file: name)
        var seen: [String: Int] = [:]
        let rows = try records.dropFirst().map { record in
            guard record.fields.count <= header.count else {
                throw BackfillError(
                    file: name, line: record.line,
                    "has \(record.fields.count) fields but the header names \(header.count) columns (a comma inside a value needs quotes)")
            }
            var values: [String: String] = [:]
            for (column, field) in zip(header, record.fields) {
                let value = field.trimmingCharacters(in: .whitespacesAndNewlines)
                if !value.isEmpty { values[column] = value }
            }
            // Identical rows are told apart by how many came before them.
            let content = values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\u{1F}")
            let occurrence = seen[content, default: 0]
            seen[content] = occurrence + 1
            return BackfillRow(file: name, line: record.line, values: values, identity: "\(name)\u{1E}\(occurrence)\u{1E}\(content)")
        }
        return BackfillTable(name: name, rows: rows)
    }
}

/// The columns a kind of file takes. Every file also takes `document` (the paper record's
/// reference; required), `signed_by` (who signed it, a registered user; required),
/// `document_date` (the day it was signed; default: the row's date) and `ref` (a label other
/// rows can name this row's entry by).
public struct BackfillColumns: Sendable {
    public var required: [String]
    public var optional: [String]
    /// What any further column means (DOR categories), or nil when no other column is allowed.
    public var others: String?

    public static let common = ["document", "signed_by"]
    public static let commonOptional = ["document_date", "ref"]

    init(required: [String], optional: [String] = [], others: String? = nil, overridable: Bool = true) {
        self.required = required + Self.common
        self.optional = optional + Self.commonOptional + (overridable ? ["override_reason"] : [])
        self.others = others
    }

    var described: String {
        (required + optional.map { "[\($0)]" } + (others.map { ["[\($0)…]"] } ?? [])).joined(separator: ",")
    }

    func check(_ header: [String], file: String) throws {
        var seen = Set<String>()
        for column in header {
            guard !column.isEmpty else { throw BackfillError(file: file, line: 1, "a column has no name (columns: \(described))") }
            guard seen.insert(column).inserted else { throw BackfillError(file: file, line: 1, field: column, "the column is named twice") }
            if others == nil && !required.contains(column) && !optional.contains(column) {
                throw BackfillError(file: file, line: 1, field: column, "is not a column of \(file) (columns: \(described))")
            }
        }
        if let missing = required.first(where: { !seen.contains($0) }) {
            throw BackfillError(file: file, line: 1, field: missing, "the column is missing (columns: \(described))")
        }
    }
}

/// One row: its values by column (empty cells left out), typed on the way out. Every problem
/// names the file, line and column.
public struct BackfillRow: Sendable {
    public let file: String
    public let line: Int
    public let values: [String: String]
    /// The file, the row's content and how many identical rows precede it: what the row's
    /// command ids are derived from, so the same row imported again is recognised.
    let identity: String

    func error(_ column: String?, _ message: String) -> BackfillError {
        BackfillError(file: file, line: line, field: column, message)
    }

    func text(_ column: String) -> String? { values[column] }

    func required(_ column: String, for purpose: String? = nil) throws -> String {
        guard let value = values[column] else {
            throw error(column, "is empty" + (purpose.map { "; \($0) needs it" } ?? ""))
        }
        return value
    }

    func day(_ column: String) throws -> Day? {
        guard let text = values[column] else { return nil }
        guard text.count == 10, let day = Day(text) else { throw error(column, "\(text.prefix(40)) is not a date (YYYY-MM-DD)") }
        return day
    }

    func requiredDay(_ column: String, for purpose: String? = nil) throws -> Day {
        _ = try required(column, for: purpose)
        return try day(column)!
    }

    func int(_ column: String, for purpose: String? = nil) throws -> Int {
        let text = try required(column, for: purpose)
        guard let value = Int(text) else { throw error(column, "\(text.prefix(40)) is not a whole number") }
        return value
    }

    func number(_ column: String) throws -> Double? {
        guard let text = values[column] else { return nil }
        guard let value = Double(text), value.isFinite else { throw error(column, "\(text.prefix(40)) is not a number") }
        return value
    }

    func requiredNumber(_ column: String) throws -> Double {
        _ = try required(column)
        return try number(column)!
    }

    /// One of `choices` (the text as written in the file, case-insensitive).
    func choice<T>(_ column: String, _ choices: KeyValuePairs<String, T>, for purpose: String? = nil) throws -> T {
        let text = try required(column, for: purpose)
        guard let match = choices.first(where: { $0.key == text.lowercased() }) else {
            throw error(column, "\"\(text.prefix(40))\" is not one of \(choices.map(\.key).joined(separator: ", "))")
        }
        return match.value
    }

    func optionalChoice<T>(_ column: String, _ choices: KeyValuePairs<String, T>) throws -> T? {
        values[column] == nil ? nil : try choice(column, choices)
    }

    /// A value of a `String`-backed enum of the domain (`resigned`, `needs_improvement`).
    func enumeration<T: RawRepresentable & CaseIterable>(_ column: String, _ type: T.Type) throws -> T where T.RawValue == String {
        let text = try required(column)
        guard let value = T(rawValue: text.lowercased()) else {
            throw error(column, "\"\(text.prefix(40))\" is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    func id<Tag>(_ column: String, for purpose: String? = nil) throws -> Identifier<Tag> {
        let text = try required(column, for: purpose)
        guard OfficerID(text).isWellFormedUserID else {
            throw error(column, "\"\(text.prefix(40))\" is not an id (letters, digits and . _ : - only, at most 100)")
        }
        return Identifier(text)
    }

    /// A `;`-separated list (categories, topics); empty when the cell is.
    func list(_ column: String) -> [String] {
        (values[column] ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The id of the `index`th command this row records: a name-based UUID (version 8) from the
    /// agency and the row's identity, so importing the same row again finds what it recorded.
    func commandID(_ index: Int, agency: AgencyID) -> UUID {
        var bytes = Array("muster.backfill".utf8)
        for part in [agency.rawValue, identity] {
            withUnsafeBytes(of: UInt32(part.utf8.count).bigEndian) { bytes.append(contentsOf: $0) }
            bytes += Array(part.utf8)
        }
        withUnsafeBytes(of: UInt32(index).bigEndian) { bytes.append(contentsOf: $0) }
        var id = Array(EventHash.sha256(bytes).prefix(16))
        id[6] = (id[6] & 0x0F) | 0x80
        id[8] = (id[8] & 0x3F) | 0x80
        return UUID(
            uuid: (id[0], id[1], id[2], id[3], id[4], id[5], id[6], id[7], id[8], id[9], id[10], id[11], id[12], id[13], id[14], id[15]))
    }
}

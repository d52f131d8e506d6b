import Foundation
public import TrainingDomain

/// `corrections.csv`: a correction (`action` = `correct`, with `changes` such as
/// `score=78; passed=true`) or retraction (`retract`) of an entry (`entry`: a row's `ref`, or
/// an entry id on record), with the reason. The original stays on record.
struct CorrectionsFile: BackfillFile {
    static let name = "corrections.csv"
    static let columns = BackfillColumns(
        required: ["action", "entry", "date", "reason"], optional: ["trainee", "officer", "changes"], overridable: false)

    static func steps(_ row: BackfillRow, _ mapping: BackfillMapping) throws -> [BackfillStep] {
        let person = try PersonColumns.reference(row)
        let entry = try mapping.entry(row, "entry")
        let date = try row.requiredDay("date")
        let reason = try row.required("reason")
        let action: BackfillStep.Action
        if try row.choice("action", ["correct": true, "retract": false]) {
            let changes: EntryChanges
            do {
                changes = try EntryChanges(try row.required("changes", for: "a correction"))
            } catch let problem as EntryChanges.Problem {
                throw row.error("changes", problem.text)
            }
            action = .correct(person, entry: entry, changes: changes, reason: reason, on: date)
        } else {
            action = .record(.retractEntry(entry: entry, reason: reason, on: date), on: person)
        }
        return [try mapping.step(row, 0, .amendment, on: "date", action)]
    }
}

/// What a correction changes in an entry: `field=value` pairs separated by `;`, a dotted path
/// for a nested field (`ratings.report_writing=3`). A value takes the type of the field it
/// replaces (text stays text, `78` becomes a number where the entry has one); a value holding
/// `;` is written in double quotes.
public struct EntryChanges: Sendable, Hashable {
    public struct Change: Sendable, Hashable {
        public var path: [String]
        public var value: String
    }

    public struct Problem: Error {
        public var text: String
    }

    public var changes: [Change]

    public init(_ text: String) throws {
        changes = try Self.split(text).map { part in
            guard let equals = part.firstIndex(of: "=") else { throw Problem(text: "\"\(part.prefix(40))\" must be field=value") }
            let path = part[..<equals].trimmingCharacters(in: .whitespaces).split(separator: ".").map(String.init)
            guard !path.isEmpty, !path.contains(where: \.isEmpty) else { throw Problem(text: "\"\(part.prefix(40))\" names no field") }
            var value = part[part.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            return Change(path: path, value: value)
        }
        guard !changes.isEmpty else { throw Problem(text: "names no change; write field=value, e.g. score=78") }
    }

    /// Splits on `;` outside double quotes.
    static func split(_ text: String) throws -> [String] {
        var parts: [String] = []
        var current = ""
        var quoted = false
        for character in text {
            if character == "\"" { quoted.toggle() }
            if character == ";" && !quoted {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        guard !quoted else { throw Problem(text: "a quote is never closed") }
        parts.append(current)
        return parts.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// `event` with the changes made.
    public func applied(to event: TrainingEvent) throws -> TrainingEvent {
        let encoded = try EventCodec.encode(event)
        guard var object = try JSONSerialization.jsonObject(with: encoded.json) as? [String: Any] else {
            throw Problem(text: "the entry's content is not an object")
        }
        for change in changes {
            try Self.set(&object, change.path[...], to: change.value, original: encoded.type)
        }
        let replacement: TrainingEvent
        do {
            replacement = try EventCodec.decode(
                type: encoded.type, schemaVersion: encoded.schemaVersion, json: try JSONSerialization.data(withJSONObject: object))
        } catch {
            throw Problem(text: "the corrected \(encoded.type) is not valid: \(EventCodec.describe(error))")
        }
        // A field the entry does not have would be dropped silently: say so instead.
        let result = try JSONSerialization.jsonObject(with: try EventCodec.encode(replacement).json) as? [String: Any] ?? [:]
        for change in changes where Self.value(in: result, change.path[...]) == nil {
            throw Problem(
                text:
                    "\(change.path.joined(separator: ".")) is not a field of \(encoded.type) (fields: \(result.keys.sorted().joined(separator: ", ")))"
            )
        }
        return replacement
    }

    static func set(_ object: inout [String: Any], _ path: ArraySlice<String>, to text: String, original type: String) throws {
        let key = path.first!
        if path.count == 1 {
            object[key] = typed(text, like: object[key])
            return
        }
        var inner = object[key] as? [String: Any] ?? [:]
        if object[key] != nil && !(object[key] is [String: Any]) {
            throw Problem(text: "\(key) of \(type) has no fields inside it")
        }
        try set(&inner, path.dropFirst(), to: text, original: type)
        object[key] = inner
    }

    /// The value typed like the one it replaces: text stays text; otherwise JSON if it reads as
    /// JSON (a number, true, false), else text.
    static func typed(_ text: String, like original: Any?) -> Any {
        if original is String { return text }
        if let value = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed), !(value is NSNull) {
            return value
        }
        return text
    }

    static func value(in object: [String: Any], _ path: ArraySlice<String>) -> Any? {
        guard let key = path.first, let value = object[key] else { return nil }
        if path.count == 1 { return value }
        return (value as? [String: Any]).flatMap { self.value(in: $0, path.dropFirst()) }
    }
}

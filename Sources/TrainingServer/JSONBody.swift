import CompactJSON
import Foundation
import Hummingbird
import TrainingDomain

/// A JSON value as sent, parsed strictly by CompactJSON (RFC 8259, no duplicate keys; a
/// number is never a boolean).
typealias JSONValue = JSONTree

extension JSONTree {
    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// The type of one request field, as the OpenAPI document also states it.
enum FieldType: Sendable, Hashable {
    /// Text of at most `max` characters (non-empty when required).
    case string(max: Int)
    /// A business date, `YYYY-MM-DD`.
    case day
    case integer(ClosedRange<Int>)
    case number(ClosedRange<Double>)
    case boolean
    /// One of these strings.
    case choice([String])
    /// An id: letters, digits and `. _ : -`, 1 to 100 characters.
    case identifier
    /// DOR ratings: `{"category": 1…7 | "N/O" | "NRT"}`.
    case ratings
    /// A list of at most 100 identifiers (categories, topics).
    case categories
    /// A JSON object passed on (a corrected entry's content).
    case object
}

/// One field of a request body.
struct Field: Sendable, Hashable {
    var name: String
    var type: FieldType
    var required: Bool
    var doc: String

    static func required(_ name: String, _ type: FieldType, _ doc: String) -> Field { Field(name: name, type: type, required: true, doc: doc) }
    static func optional(_ name: String, _ type: FieldType, _ doc: String) -> Field { Field(name: name, type: type, required: false, doc: doc) }
}

/// A request body checked against its fields: unknown fields refused, required ones present,
/// each of its declared type. Accessors then read values the check has already vouched for.
struct Body: Sendable {
    let values: [String: JSONValue]

    /// Collects the body of `request` (at most ``MusterRequestContext/maxBody`` bytes; 413 past
    /// it), which must be JSON (415 otherwise).
    static func collect(_ request: Request) async throws -> [UInt8] {
        // No body at all (an operation without fields, say) reads as `{}`.
        if request.headers[.contentType] == nil, (request.headers[.contentLength].flatMap { Int($0) } ?? 0) == 0,
            request.headers[.transferEncoding] == nil
        {
            return []
        }
        guard let type = request.headers[.contentType], let media = MediaType(from: type), media.isType(.applicationJson) else {
            throw Problem(.unsupportedMediaType, "unsupported-media-type", "Unsupported content type", detail: "send the body as application/json")
        }
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > MusterRequestContext.maxBody {
            throw Problem(
                .contentTooLarge, "too-large", "The body is too large",
                detail: "a request body may have at most \(MusterRequestContext.maxBody) bytes")
        }
        var request = request
        let buffer = try await request.collectBody(upTo: MusterRequestContext.maxBody)
        return Array(buffer.readableBytesView)
    }

    /// Parses a collected body and checks it against `fields`.
    static func parse(_ bytes: [UInt8], fields: [Field]) throws -> Body {
        if bytes.isEmpty {
            try check([:], against: fields)
            return Body(values: [:])
        }
        let value: JSONValue
        do {
            value = try JSONValue(parsing: bytes)
        } catch {
            throw Problem.badRequest("the body is not valid JSON")
        }
        guard case .object(let object) = value else { throw Problem.badRequest("the body must be a JSON object") }
        try check(object, against: fields)
        return Body(values: object)
    }

    static func check(_ object: [String: JSONValue], against fields: [Field]) throws {
        let known = Set(fields.map(\.name))
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            let names = fields.map(\.name).joined(separator: ", ")
            throw Problem.badRequest(
                "unknown field `\(unknown.prefix(60))`; this operation takes \(names.isEmpty ? "no fields" : names)",
                field: String(unknown.prefix(60)))
        }
        for field in fields {
            let value = object[field.name] ?? .null
            if value == .null {
                if field.required { throw Problem.badRequest("`\(field.name)` is required: \(field.doc)", field: field.name) }
                continue
            }
            if let complaint = complaint(value, field) { throw Problem.badRequest("`\(field.name)` \(complaint)", field: field.name) }
        }
    }

    /// What is wrong with `value` for `field`, if anything.
    static func complaint(_ value: JSONValue, _ field: Field) -> String? {
        switch (field.type, value) {
        case (.string(let max), .string(let text)):
            if field.required, text.allSatisfy(\.isWhitespace) { return "must not be empty" }
            return text.count > max ? "must have at most \(max) characters" : nil
        case (.day, .string(let text)):
            return text.utf8.count == 10 && Day(text) != nil ? nil : "must be a date YYYY-MM-DD, got \"\(text.prefix(20))\""
        case (.integer(let range), .number(let number)):
            guard number.rounded() == number, let int = Int(exactly: number) else { return "must be a whole number" }
            return range.contains(int) ? nil : "must be between \(range.lowerBound) and \(range.upperBound)"
        case (.number(let range), .number(let number)):
            return range.contains(number) ? nil : "must be between \(range.lowerBound) and \(range.upperBound)"
        case (.boolean, .bool):
            return nil
        case (.choice(let options), .string(let text)):
            return options.contains(text) ? nil : "must be one of \(options.joined(separator: ", "))"
        case (.identifier, .string(let text)):
            return OfficerID(text).isWellFormedUserID ? nil : "must be 1 to 100 letters, digits and . _ : -"
        case (.ratings, .object(let ratings)):
            guard !ratings.isEmpty, ratings.count <= 100 else { return "must rate 1 to 100 categories" }
            for (category, rating) in ratings {
                guard OfficerID(category).isWellFormedUserID else { return "has a category name that is not 1 to 100 letters, digits and . _ : -" }
                switch rating {
                case .number(let score) where score.rounded() == score && abs(score) < 1000: continue
                case .string(let text) where Rating(text: text) != nil: continue
                default: return "rates `\(category.prefix(40))` with \(rating.kindName); ratings are whole numbers, \"N/O\" or \"NRT\""
                }
            }
            return nil
        case (.categories, .array(let items)):
            guard items.count <= 100 else { return "must list at most 100 names" }
            for item in items {
                guard case .string(let name) = item, OfficerID(name).isWellFormedUserID else {
                    return "must list names of 1 to 100 letters, digits and . _ : -"
                }
            }
            return nil
        case (.object, .object):
            return nil
        default:
            return "must be \(expected(field.type)), not \(value.kindName)"
        }
    }

    static func expected(_ type: FieldType) -> String {
        switch type {
        case .string, .choice, .identifier: "a string"
        case .day: "a date string YYYY-MM-DD"
        case .integer: "a whole number"
        case .number: "a number"
        case .boolean: "a boolean"
        case .ratings, .object: "an object"
        case .categories: "an array of names"
        }
    }

    // MARK: - Accessors (after the check)

    func string(_ name: String) -> String? {
        if case .string(let text) = values[name] { return text }
        return nil
    }

    func require(_ name: String) throws -> String {
        guard let text = string(name) else { throw Problem.badRequest("`\(name)` is required", field: name) }
        return text
    }

    func day(_ name: String) -> Day? { string(name).flatMap { Day($0) } }

    func requireDay(_ name: String) throws -> Day {
        guard let day = day(name) else { throw Problem.badRequest("`\(name)` is required (YYYY-MM-DD)", field: name) }
        return day
    }

    func int(_ name: String) -> Int? {
        if case .number(let number) = values[name] { return Int(exactly: number) }
        return nil
    }

    func requireInt(_ name: String) throws -> Int {
        guard let value = int(name) else { throw Problem.badRequest("`\(name)` is required", field: name) }
        return value
    }

    func double(_ name: String) -> Double? {
        if case .number(let number) = values[name] { return number }
        return nil
    }

    func bool(_ name: String) -> Bool? {
        if case .bool(let value) = values[name] { return value }
        return nil
    }

    func ratings(_ name: String) -> [Category: Rating] {
        guard case .object(let object) = values[name] else { return [:] }
        var ratings: [Category: Rating] = [:]
        for (category, value) in object {
            switch value {
            case .number(let score): ratings[Category(category)] = .score(Int(score))
            case .string(let text): ratings[Category(category)] = Rating(text: text)
            default: continue
            }
        }
        return ratings
    }

    func categories(_ name: String) -> [Category] {
        guard case .array(let items) = values[name] else { return [] }
        return items.compactMap { if case .string(let text) = $0 { Category(text) } else { nil } }
    }

    /// The field's JSON object re-encoded (for a corrected entry's content).
    func objectJSON(_ name: String) throws -> Data {
        guard let value = values[name] else { throw Problem.badRequest("`\(name)` is required", field: name) }
        return try JSONSerialization.data(withJSONObject: Self.foundation(value))
    }

    static func foundation(_ value: JSONValue) -> Any {
        switch value {
        case .null: NSNull()
        case .bool(let bool): bool
        case .number(let number): number.rounded() == number && abs(number) < 1e15 ? Int(number) as Any : number as Any
        case .string(let text): text
        case .array(let items): items.map(foundation)
        case .object(let object): object.mapValues(foundation)
        }
    }
}

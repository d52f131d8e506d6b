/// A typed identifier: a trainee's id cannot be passed where an officer's is expected.
/// Encoded as its plain string.
public struct Identifier<Tag>: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    public var description: String { rawValue }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

public enum TraineeTag {}
public enum OfficerTag {}
public enum AgencyTag {}
public enum EntryTag {}

/// A recruit in the pipeline (their personnel file's stream is `trainee-<id>`).
public typealias TraineeID = Identifier<TraineeTag>
/// A sworn officer, FTO, sergeant or chief (stream `officer-<id>`); also a user who records entries.
public typealias OfficerID = Identifier<OfficerTag>
public typealias AgencyID = Identifier<AgencyTag>
/// One recorded entry (an event's id): what acknowledgements, rebuttals and corrections name.
public typealias EntryID = Identifier<EntryTag>

/// A named evaluation category (a standardized evaluation guideline), defined by policy.
public struct Category: Hashable, Comparable, Sendable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { String(rawValue.map { $0 == "_" ? " " : $0 }) }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// A course type defined by policy (e.g. `use_of_force`, `implicit_bias`).
public typealias CourseType = Category

extension Category: CodingKeyRepresentable {
    public var codingKey: any CodingKey { AnyKey(stringValue: rawValue) }
    public init?<T: CodingKey>(codingKey: T) { self.init(codingKey.stringValue) }
}

struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

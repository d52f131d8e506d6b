/// A stream's name in message-db's `category-id` form, e.g. `trainee-8c1f…` or `policy-pasadena`.
///
/// The category is the text before the first `-`: lowercase letters, digits and `_`, starting
/// with a letter. The id after it may hold letters, digits and `. _ : -`. At most 200 characters.
public struct StreamID: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    public let rawValue: String

    public init(validating rawValue: String) throws {
        guard Self.isValid(rawValue) else {
            throw EventLogError(
                code: .invalidStreamName,
                message: "stream name \"\(rawValue.prefix(80))\" is not of the form category-id "
                    + "(category: lowercase letters, digits, _; id: letters, digits, . _ : -; at most 200 characters)")
        }
        self.rawValue = rawValue
    }

    public init(category: String, id: String) throws {
        try self.init(validating: "\(category)-\(id)")
    }

    public var category: String {
        String(Substring(rawValue.utf8.prefix { $0 != 0x2d }))
    }

    public var description: String { rawValue }

    public static func < (lhs: StreamID, rhs: StreamID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        try self.init(validating: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    static func isValidCategory(_ category: some StringProtocol) -> Bool {
        guard let first = category.utf8.first, (0x61...0x7a).contains(first) else { return false }
        return category.utf8.allSatisfy { (0x61...0x7a).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5f }
    }

    /// Whether `name` is a valid stream name (without throwing).
    public static func isValidName(_ name: String) -> Bool { isValid(name) }

    static func isValid(_ name: String) -> Bool {
        let utf8 = name.utf8
        guard utf8.count <= 200, let dash = utf8.firstIndex(of: 0x2d) else { return false }
        let id = utf8[utf8.index(after: dash)...]
        guard isValidCategory(Substring(utf8[..<dash])), !id.isEmpty else { return false }
        return id.allSatisfy { (byte: UInt8) -> Bool in
            switch byte {
            case 0x61...0x7a, 0x41...0x5a, 0x30...0x39, 0x2e, 0x5f, 0x3a, 0x2d: true
            default: false
            }
        }
    }
}

/// What the writer believes about the stream before appending.
///
/// The store checks it atomically with the write: of two writers that append with the same
/// expected version, exactly one succeeds and the other gets
/// ``EventLogError/Code-swift.struct/wrongExpectedVersion``.
public enum ExpectedVersion: Hashable, Sendable, CustomStringConvertible {
    /// Append whatever the stream holds.
    case any
    /// The stream must not exist yet.
    case noStream
    /// The stream's last event must have exactly this version (1-based).
    case exact(Int)

    public var description: String {
        switch self {
        case .any: "any"
        case .noStream: "no stream"
        case .exact(let version): "version \(version)"
        }
    }

    /// Whether a stream whose last version is `current` (0 when empty) satisfies this.
    public func accepts(current: Int) -> Bool {
        switch self {
        case .any: true
        case .noStream: current == 0
        case .exact(let version): current == version
        }
    }
}

/// Reading order within a stream.
public enum ReadDirection: Sendable, Hashable {
    case forward, backward
}

/// A place in the whole log: the writing transaction's id, then the global position.
///
/// Events are delivered in this order. Positions are handed out before commit, so a
/// transaction can commit *after* one holding a later position; ordering by the writing
/// transaction first, and reading only transactions older than every one still running, is
/// what guarantees a reader never skips an event that commits late.
public struct LogPosition: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
    public var transaction: UInt64
    public var global: Int64

    public init(transaction: UInt64, global: Int64) {
        self.transaction = transaction
        self.global = global
    }

    /// Before the first event.
    public static let start = LogPosition(transaction: 0, global: 0)

    public static func < (lhs: LogPosition, rhs: LogPosition) -> Bool {
        (lhs.transaction, lhs.global) < (rhs.transaction, rhs.global)
    }

    public var description: String { "\(transaction)/\(global)" }
}

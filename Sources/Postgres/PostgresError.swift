/// An error from PostgreSQL or from libpq.
///
/// `description` is safe to show and log: the SQLSTATE, the server's primary message and its
/// hint, never the SQL text, bound values nor the server's `DETAIL` (which can echo row values,
/// and officer records are personal data). `debugDescription` adds the statement (abbreviated),
/// the detail and the constraint, for developers.
public struct PostgresError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What went wrong, broadly. Extensible: new codes can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case connectionFailed, connectionLost, server, unexpectedResult, decoding, invalidArgument
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// Could not open a connection (server down, wrong socket, bad credentials).
        public static let connectionFailed = Code(.connectionFailed)
        /// The connection broke during an operation; the next operation reconnects.
        public static let connectionLost = Code(.connectionLost)
        /// The server refused the statement; see `sqlState`.
        public static let server = Code(.server)
        /// libpq answered with a status this layer did not expect.
        public static let unexpectedResult = Code(.unexpectedResult)
        /// A column could not be decoded into the requested Swift type.
        public static let decoding = Code(.decoding)
        /// The caller passed something this layer refuses (for example a bad channel name).
        public static let invalidArgument = Code(.invalidArgument)

        public var description: String { base.rawValue }
    }

    public var code: Code
    /// The five-character SQLSTATE, when the server sent one (see ``SQLState``).
    public var sqlState: String?
    /// The server's (or libpq's) primary message.
    public var message: String
    public var detail: String?
    public var hint: String?
    /// The constraint the server named, for integrity violations.
    public var constraint: String?
    /// The SQL text of the statement, never its bound values.
    public var query: String?
    public var file: String
    public var line: Int

    public init(
        code: Code, sqlState: String? = nil, message: String, detail: String? = nil, hint: String? = nil,
        constraint: String? = nil, query: String? = nil, file: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.hint = hint
        self.constraint = constraint
        self.query = query
        self.file = file
        self.line = line
    }

    public var description: String {
        var text = "PostgreSQL \(code)"
        if let sqlState { text += " [\(sqlState)]" }
        text += ": \(message)"
        if let hint { text += " (hint: \(hint))" }
        return text
    }

    public var debugDescription: String {
        var text = description
        if let query { text += "\nin query: \(Self.abbreviate(query))" }
        if let detail { text += "\ndetail: \(detail)" }
        if let constraint { text += "\nconstraint: \(constraint)" }
        text += "\nat \(file):\(line)"
        return text
    }

    /// A server refusing connections for a while, by what it said.
    public enum Refusal: String, Sendable {
        case tooManyConnections = "too many connections"
        case startingUp = "starting up"
        case recovering = "recovering after a crash"
        case shuttingDown = "shutting down"
    }

    /// Why the server refused to connect, when it is the kind of refusal that passes.
    public var refusal: Refusal? {
        guard code == .connectionFailed else { return nil }
        let text = message.lowercased()
        if text.contains("too many clients") || text.contains("remaining connection slots") { return .tooManyConnections }
        if text.contains("is starting up") || text.contains("not yet accepting connections") { return .startingUp }
        if text.contains("in recovery mode") { return .recovering }
        if text.contains("shutting down") { return .shuttingDown }
        return nil
    }

    static func abbreviate(_ sql: String) -> String {
        let flat = sql.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return flat.count > 160 ? String(flat.prefix(157)) + "..." : flat
    }
}

/// SQLSTATE values Muster reacts to. The full list is in PostgreSQL's appendix A.
public enum SQLState {
    public static let uniqueViolation = "23505"
    public static let checkViolation = "23514"
    public static let notNullViolation = "23502"
    public static let insufficientPrivilege = "42501"
    public static let undefinedTable = "42P01"
    public static let undefinedFunction = "42883"
    public static let invalidTextRepresentation = "22P02"
    public static let invalidJSONText = "22P02"
    public static let serializationFailure = "40001"
    public static let adminShutdown = "57P01"
    public static let invalidCatalogName = "3D000"
    /// Raised by Muster's own triggers when something tries to change the append-only log.
    public static let appendOnlyViolation = "MU001"
    /// Raised by Muster's stamps when a write is not the session's agency's (or it has none).
    public static let agencyViolation = "MU003"
}

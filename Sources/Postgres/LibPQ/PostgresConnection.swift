internal import CLibPQ
import Foundation

/// One libpq connection. Owns its `PGconn` and closes it on deinit.
///
/// Not `Sendable` and blocking: every call waits for the server. Use it through
/// ``PostgresClient``, which confines it to a dedicated thread so blocking never happens on
/// Swift's cooperative pool.
///
/// After the server restarts or the backend is killed, the operation that notices fails with
/// ``PostgresError/Code-swift.struct/connectionLost`` and the next operation reconnects
/// (re-issuing any `LISTEN`; prepared statements are prepared again on first use).
public final class PostgresConnection {
    let connection: OpaquePointer
    public let configuration: PostgresConfiguration
    /// SQL text and parameter types → prepared statement name, for ``query(_:prepared:)``.
    /// The types are part of the key: a NULL goes untyped, so the same SQL can be prepared
    /// with different parameter types.
    private var preparedStatements: [PreparedKey: String] = [:]

    private struct PreparedKey: Hashable {
        var sql: String
        var types: [UInt32]
    }
    var listeningChannels: Set<String> = []

    public init(_ configuration: PostgresConfiguration) throws {
        self.configuration = configuration
        var keywords = ["dbname", "fallback_application_name"]
        var values = [configuration.conninfo, configuration.applicationName]
        if let options = configuration.options {
            keywords.append("options")
            values.append(options)
        }
        if let database = configuration.database {
            keywords.append("dbname")
            values.append(database)
        }
        let handle = Self.withCStringArray(keywords) { keywordPointers in
            Self.withCStringArray(values) { valuePointers in
                PQconnectdbParams(keywordPointers, valuePointers, 1)
            }
        }
        guard let handle else {
            throw PostgresError(code: .connectionFailed, message: "libpq could not allocate a connection")
        }
        connection = handle
        guard PQstatus(handle) == CONNECTION_OK else {
            throw PostgresError(
                code: .connectionFailed,
                message: "cannot connect to \(configuration): \(Self.trimmed(PQerrorMessage(handle)))",
                hint: "start the private cluster with scripts/db start, or set MUSTER_DATABASE_URL"
            )
        }
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
    }

    deinit { PQfinish(connection) }

    /// Whether libpq believes the connection is usable.
    public var isConnected: Bool { PQstatus(connection) == CONNECTION_OK }

    /// The backend's process id, for `pg_terminate_backend` and log correlation.
    public var backendPID: Int32 { PQbackendPID(connection) }

    /// Reconnects if the connection is known to be broken.
    func ensureConnected() throws {
        guard PQstatus(connection) != CONNECTION_OK else { return }
        PQreset(connection)
        guard PQstatus(connection) == CONNECTION_OK else {
            throw PostgresError(
                code: .connectionFailed,
                message: "cannot reconnect to \(configuration): \(Self.trimmed(PQerrorMessage(connection)))",
                hint: "is the server running? scripts/db status"
            )
        }
        preparedStatements.removeAll()
        let channels = listeningChannels
        for channel in channels {
            try simpleQuery("LISTEN \(try Self.quotedChannel(channel))")
        }
    }

    // MARK: - Statements

    /// Runs a statement with bound parameters. Results come back in binary format.
    ///
    /// - Parameter prepared: prepare the SQL once per connection and reuse it (for statements
    ///   run many times).
    @discardableResult
    public func query(_ query: PostgresQuery, prepared: Bool = false) throws -> PostgresRows {
        try ensureConnected()
        let result: OpaquePointer?
        if prepared {
            let name = try statementName(for: query)
            result = Self.withParameters(query.bindings) { count, _, values, lengths, formats in
                PQexecPrepared(connection, name, count, values, lengths, formats, 1)
            }
        } else {
            result = Self.withParameters(query.bindings) { count, types, values, lengths, formats in
                PQexecParams(connection, query.sql, count, types, values, lengths, formats, 1)
            }
        }
        return PostgresRows(taking: try check(result, sql: query.sql))
    }

    /// Runs SQL text with no parameters using the simple query protocol, which allows
    /// several statements separated by semicolons (migrations). Results are text.
    public func simpleQuery(_ sql: String) throws {
        try ensureConnected()
        // PQexec returns the last statement's result; an error stops at the failing statement.
        PQclear(try check(PQexec(connection, sql), sql: sql))
    }

    private func statementName(for query: PostgresQuery) throws -> String {
        let key = PreparedKey(sql: query.sql, types: query.bindings.types)
        if let name = preparedStatements[key] { return name }
        let name = "muster_\(preparedStatements.count + 1)"
        let result = query.bindings.types.withUnsafeBufferPointer { types in
            PQprepare(connection, name, query.sql, Int32(types.count), types.baseAddress)
        }
        PQclear(try check(result, sql: query.sql))
        preparedStatements[key] = name
        return name
    }

    // MARK: - Transactions

    public enum IsolationLevel: String, Sendable {
        case readCommitted = "READ COMMITTED"
        case repeatableRead = "REPEATABLE READ"
        case serializable = "SERIALIZABLE"
    }

    /// Runs `body` inside BEGIN … COMMIT; any thrown error rolls back and is rethrown.
    public func transaction<T>(
        _ isolation: IsolationLevel = .readCommitted, readOnly: Bool = false,
        _ body: (PostgresConnection) throws -> T
    ) throws -> T {
        try simpleQuery("BEGIN ISOLATION LEVEL \(isolation.rawValue)\(readOnly ? " READ ONLY" : "")")
        do {
            let value = try body(self)
            try simpleQuery("COMMIT")
            return value
        } catch {
            if isConnected { try? simpleQuery("ROLLBACK") }
            throw error
        }
    }

    // MARK: - Errors

    /// Turns a libpq result into either itself (success) or a thrown ``PostgresError``;
    /// a failed result is freed before throwing.
    func check(_ result: OpaquePointer?, sql: String?) throws -> OpaquePointer {
        guard let result else {
            throw connectionError(sql: sql)
        }
        let status = PQresultStatus(result)
        switch status {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_COPY_OUT, PGRES_COPY_IN, PGRES_EMPTY_QUERY, PGRES_SINGLE_TUPLE:
            return result
        default:
            let error = serverError(result, sql: sql)
            PQclear(result)
            throw error
        }
    }

    func connectionError(sql: String?) -> PostgresError {
        PostgresError(
            code: isConnected ? .unexpectedResult : .connectionLost,
            message: Self.trimmed(PQerrorMessage(connection)),
            hint: isConnected ? nil : "the connection to the server was lost; the next operation reconnects",
            query: sql
        )
    }

    func serverError(_ result: OpaquePointer, sql: String?) -> PostgresError {
        func field(_ code: Character) -> String? {
            guard let value = PQresultErrorField(result, Int32(code.asciiValue!)) else { return nil }
            return String(cString: value)
        }
        let sqlState = field("C")
        let lost = !isConnected
        return PostgresError(
            code: lost ? .connectionLost : (sqlState == nil ? .unexpectedResult : .server),
            sqlState: sqlState,
            message: field("M") ?? Self.trimmed(PQresultErrorMessage(result)),
            detail: field("D"),
            hint: field("H") ?? (lost ? "the connection to the server was lost; the next operation reconnects" : nil),
            constraint: field("n"),
            query: sql
        )
    }

    /// libpq's message on one line (its messages wrap with newlines and tabs).
    static func trimmed(_ message: UnsafePointer<CChar>?) -> String {
        guard let message else { return "unknown libpq error" }
        return String(cString: message).split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    // MARK: - C arrays

    static func withCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
        var storage = strings.map { strdup($0) }
        storage.append(nil)
        defer { for pointer in storage { free(pointer) } }
        return storage.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: buffer.count) { body($0) }
        }
    }

    /// Lays every parameter out in one buffer and hands libpq the pointer arrays it wants.
    /// Text values get a terminating NUL, which libpq requires for text format.
    static func withParameters<R>(
        _ bindings: PostgresBindings,
        _ body: (
            Int32, UnsafePointer<Oid>?, UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?,
            UnsafePointer<Int32>?
        ) -> R
    ) -> R {
        var buffer: [UInt8] = []
        var offsets: [Int] = []
        var lengths: [Int32] = []
        for (index, value) in bindings.values.enumerated() {
            guard let value else {
                offsets.append(-1)
                lengths.append(0)
                continue
            }
            offsets.append(buffer.count)
            lengths.append(Int32(value.count))
            buffer.append(contentsOf: value)
            if bindings.formats[index] == 0 { buffer.append(0) }
        }
        if buffer.isEmpty { buffer.append(0) }
        return buffer.withUnsafeBufferPointer { bytes in
            let base = UnsafeRawPointer(bytes.baseAddress!).assumingMemoryBound(to: CChar.self)
            let pointers: [UnsafePointer<CChar>?] = offsets.map { $0 < 0 ? nil : base + $0 }
            return pointers.withUnsafeBufferPointer { values in
                bindings.types.withUnsafeBufferPointer { types in
                    lengths.withUnsafeBufferPointer { lengthPointer in
                        bindings.formats.withUnsafeBufferPointer { formats in
                            body(
                                Int32(bindings.count), types.baseAddress, values.baseAddress,
                                lengthPointer.baseAddress, formats.baseAddress)
                        }
                    }
                }
            }
        }
    }
}

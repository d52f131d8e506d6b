/// A PostgreSQL connection confined to its own thread.
///
/// Every method runs on the client's dedicated thread (its actor executor), so libpq's
/// blocking calls never stall Swift's cooperative thread pool. Calls are serialized: one
/// statement at a time per client. Use several clients for parallel work.
public actor PostgresClient {
    private let executor: ThreadExecutor
    private var connection: PostgresConnection?
    public let configuration: PostgresConfiguration

    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    private init(configuration: PostgresConfiguration) {
        self.configuration = configuration
        self.executor = ThreadExecutor(name: "muster.postgres")
    }

    /// Opens a connection on a new dedicated thread.
    ///
    /// A server that refuses for a while (too many connections, starting up, recovering after a
    /// crash, shutting down) is asked again with growing pauses, up to `patience`; then the
    /// error says what the server said and what to do.
    public static func connect(_ configuration: PostgresConfiguration, patience: Duration = .seconds(10)) async throws -> PostgresClient {
        let client = PostgresClient(configuration: configuration)
        let deadline = ContinuousClock.now + patience
        var pause = Duration.milliseconds(50)
        while true {
            do {
                try await client.open()
                return client
            } catch let error as PostgresError where error.refusal != nil && ContinuousClock.now + pause < deadline {
                try await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(1))
            } catch let error as PostgresError where error.refusal != nil {
                throw PostgresError(
                    code: .connectionFailed, message: "the server refused the connection for \(patience): \(error.refusal!)",
                    hint: error.refusal == .tooManyConnections
                        ? "too many connections are open: close idle clients, pool them, or raise max_connections"
                        : "the server is not accepting connections yet; check it with scripts/db status")
            }
        }
    }

    private func open() throws {
        connection = try PostgresConnection(configuration)
    }

    /// Runs `body` with the connection, on the client's thread. Decode results inside `body`:
    /// rows cannot leave it.
    public func withConnection<T: Sendable>(_ body: (PostgresConnection) throws -> T) throws -> T {
        guard let connection else {
            throw PostgresError(code: .connectionLost, message: "the client was closed")
        }
        return try body(connection)
    }

    /// Runs `body`, and once more on a fresh connection if the connection had been lost (the
    /// retry reconnects). Only for idempotent work: reads, or writes a repeat cannot duplicate.
    public func withConnectionRetryingOnce<T: Sendable>(_ body: (PostgresConnection) throws -> T) throws -> T {
        do {
            return try withConnection(body)
        } catch let error as PostgresError where error.code == .connectionLost {
            return try withConnection(body)
        }
    }

    /// Runs a statement and returns the number of affected rows.
    @discardableResult
    public func execute(_ query: PostgresQuery) throws -> Int {
        try withConnection { try $0.query(query).affectedRows }
    }

    /// Runs a statement and decodes each row.
    public func rows<T: Sendable>(_ query: PostgresQuery, _ decode: (PostgresRows, Int) throws -> T) throws -> [T] {
        try withConnection { connection in
            let rows = try connection.query(query)
            return try (0..<rows.count).map { try decode(rows, $0) }
        }
    }

    /// Closes the connection and lets the thread end.
    public func close() {
        connection = nil
        executor.shutdown()
    }

    deinit { executor.shutdown() }
}

import EventLog
import EventLogPostgres
import Foundation
import Postgres
public import TrainingDomain
public import TrainingProjections
import TrainingRecords

/// A bounded pool of Muster's own connections for a server: each lease is an event store and a
/// client, each on its own thread (libpq never blocks the cooperative pool), with the services
/// built on them. A request checks one out, uses it, and gives it back.
///
/// Connections open lazily up to `size`. A lease idle for a while is checked with `SELECT 1`
/// before it is handed out; one that failed with a lost connection is closed and replaced. When
/// every lease is busy a caller waits up to `checkoutTimeout`, then gets ``PoolExhausted``.
public actor ConnectionPool {
    /// Everything one request may use, on one pair of connections.
    public struct Lease: Sendable {
        public let services: Services
        public let readModels: ReadModelQueries
        public let accounts: Accounts
        public let accessLog: AccessLog
        let store: PostgresEventStore
        let client: PostgresClient
        let id: Int
    }

    /// Thrown when no lease came free in time.
    public struct PoolExhausted: Error, Sendable, CustomStringConvertible {
        public var size: Int
        public var waited: Duration
        public var description: String {
            "all \(size) database connections are busy (waited \(waited)); try again in a moment"
        }
    }

    /// How busy the pool is, for metrics and /ready.
    public struct Statistics: Sendable, Codable {
        public var size: Int
        public var open: Int
        public var inUse: Int
        public var waiting: Int
    }

    let database: MusterDatabase
    let agency: AgencyID
    let accountSettings: AccountSettings
    public let size: Int
    let checkoutTimeout: Duration
    let healthCheckAfter: Duration
    /// Told the pool's statistics on every checkout and return (the server's gauges), inside
    /// the pool: a request does not wait for the pool a second time to read them.
    let observe: (@Sendable (Statistics) -> Void)?

    private var idle: [(lease: Lease, since: ContinuousClock.Instant)] = []
    private var open = 0
    private var inUse = 0
    private var nextID = 0
    private var waiters: [(id: Int, continuation: CheckedContinuation<Void, any Error>)] = []
    private var closed = false

    public init(
        database: MusterDatabase, agency: AgencyID, accountSettings: AccountSettings, size: Int = 8, checkoutTimeout: Duration = .seconds(2),
        healthCheckAfter: Duration = .seconds(30), observe: (@Sendable (Statistics) -> Void)? = nil
    ) {
        precondition(size > 0, "a pool needs at least one connection")
        self.database = database
        self.agency = agency
        self.accountSettings = accountSettings
        self.size = size
        self.checkoutTimeout = checkoutTimeout
        self.healthCheckAfter = healthCheckAfter
        self.observe = observe
    }

    /// Runs `body` with a lease, returned afterwards whatever happens.
    public nonisolated func withLease<T: Sendable>(_ body: (Lease) async throws -> T) async throws -> T {
        let lease = try await checkOut()
        do {
            let value = try await body(lease)
            await checkIn(lease, broken: false)
            return value
        } catch {
            await checkIn(lease, broken: Self.isConnectionFailure(error))
            throw error
        }
    }

    public var statistics: Statistics { Statistics(size: size, open: open, inUse: inUse, waiting: waiters.count) }

    /// Closes every idle connection and refuses new checkouts; leases in use close when returned.
    public func close() async {
        closed = true
        for waiter in waiters { waiter.continuation.resume(throwing: PoolExhausted(size: size, waited: .zero)) }
        waiters.removeAll()
        for (lease, _) in idle { await Self.close(lease) }
        open -= idle.count
        idle.removeAll()
    }

    func checkOut() async throws -> Lease {
        let start = ContinuousClock.now
        while true {
            guard !closed else { throw PoolExhausted(size: size, waited: .zero) }
            if case (let lease, let since)? = idle.popLast() {
                inUse += 1
                if ContinuousClock.now - since > healthCheckAfter, !(await Self.isHealthy(lease)) {
                    await Self.close(lease)
                    open -= 1
                    inUse -= 1
                    continue
                }
                observe?(statistics)
                return lease
            }
            if open < size {
                open += 1
                inUse += 1
                do {
                    let lease = try await makeLease()
                    observe?(statistics)
                    return lease
                } catch {
                    open -= 1
                    inUse -= 1
                    wakeOne()
                    throw error
                }
            }
            let remaining = checkoutTimeout - (ContinuousClock.now - start)
            guard remaining > .zero else { throw PoolExhausted(size: size, waited: checkoutTimeout) }
            try await wait(upTo: remaining)
        }
    }

    func checkIn(_ lease: Lease, broken: Bool) async {
        inUse -= 1
        if broken || closed {
            await Self.close(lease)
            open -= 1
        } else {
            idle.append((lease, ContinuousClock.now))
        }
        wakeOne()
        observe?(statistics)
    }

    private func wakeOne() {
        if !waiters.isEmpty { waiters.removeFirst().continuation.resume() }
    }

    /// Waits until a lease is returned, or `limit` passes (then the caller loops and gives up).
    private func wait(upTo limit: Duration) async throws {
        nextID += 1
        let id = nextID
        let timer = Task { [weak self] in
            try? await Task.sleep(for: limit)
            await self?.timeOut(id)
        }
        defer { timer.cancel() }
        try await withCheckedThrowingContinuation { continuation in
            waiters.append((id, continuation))
        }
    }

    private func timeOut(_ id: Int) {
        if let index = waiters.firstIndex(where: { $0.id == id }) {
            waiters.remove(at: index).continuation.resume()
        }
    }

    private func makeLease() async throws -> Lease {
        let session = try database.acting(for: agency).sessionConfiguration()
        let store = try await withEventLogErrors { try await PostgresEventStore.connect(session) }
        let client: PostgresClient
        do {
            client = try await PostgresClient.connectForEventLog(session)
        } catch {
            await store.close()
            throw error
        }
        nextID += 1
        let services = Services(
            store: store, training: TrainingService(store: store, agency: agency, clock: database.clock), replay: Replay(store: store))
        return Lease(
            services: services, readModels: ReadModelQueries(client: client),
            accounts: Accounts(client: client, clock: database.clock, settings: accountSettings), accessLog: AccessLog(client: client),
            store: store, client: client, id: nextID)
    }

    private static func isHealthy(_ lease: Lease) async -> Bool {
        do {
            try await lease.client.execute("SELECT 1")
            _ = try await lease.store.readStream(try StreamID(validating: "health-check"), from: 1, direction: .forward, limit: 1)
            return true
        } catch {
            return false
        }
    }

    private static func close(_ lease: Lease) async {
        await lease.store.close()
        await lease.client.close()
    }

    /// A failure that means the connection itself is gone (replace it, do not reuse it).
    static func isConnectionFailure(_ error: any Error) -> Bool {
        if let error = error as? EventLogError { return error.code == .storageUnavailable }
        if let error = error as? PostgresError { return error.code == .connectionLost || error.code == .connectionFailed }
        return false
    }
}

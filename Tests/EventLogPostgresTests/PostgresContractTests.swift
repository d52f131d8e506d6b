import EventLog
import EventLogPostgres
import EventLogTesting
import Testing

/// The same contract the in-memory store passes, against PostgreSQL. Each test gets its own
/// database, so they run in parallel.
@Suite struct PostgresContractTests {
    static func run(_ check: (EventStoreContract.Log) async throws -> Void) async throws {
        try await TestDatabase.with { database in
            let opened = StoreList()
            do {
                try await check { count in
                    var stores: [any EventStore] = []
                    for _ in 0..<count {
                        let store = try await database.store(pollInterval: .milliseconds(100))
                        await opened.add(store)
                        stores.append(store)
                    }
                    return stores
                }
            } catch {
                await opened.closeAll()
                throw error
            }
            await opened.closeAll()
        }
    }

    @Test func appendThenReadSeesTheWrite() async throws { try await Self.run(EventStoreContract.appendThenReadSeesTheWrite) }
    @Test func staleExpectedVersionIsRejected() async throws { try await Self.run(EventStoreContract.staleExpectedVersionIsRejected) }
    @Test func retriedAppendIsIdempotent() async throws { try await Self.run(EventStoreContract.retriedAppendIsIdempotent) }
    @Test func reusedEventIDIsRefused() async throws { try await Self.run(EventStoreContract.reusedEventIDWithOtherContentIsRefused) }
    @Test func emptyAppendIsRefused() async throws { try await Self.run(EventStoreContract.emptyAppendIsRefused) }
    @Test func readsForwardBackward() async throws { try await Self.run(EventStoreContract.readsForwardBackwardAndFromAVersion) }
    @Test func readToFold() async throws { try await Self.run(EventStoreContract.readToFoldKeepsAuthorAndCommand) }
    @Test func readAllAndCategories() async throws { try await Self.run(EventStoreContract.readAllPagesInLogOrderAndCategoriesFilter) }
    @Test func concurrentWritersOneWins() async throws { try await Self.run(EventStoreContract.concurrentWritersOnOneStreamOneWins) }
    @Test func subscriptionGoesLive() async throws { try await Self.run(EventStoreContract.subscriptionCatchesUpThenGoesLive) }

    /// The no-skip proof: 8 writers on their own connections append 4,000 events (single
    /// events and batches, so commits race constantly) while a subscriber follows the log.
    @Test("8 concurrent writers, one follower: every event exactly once, in position order")
    func noSkippedEvents() async throws {
        try await Self.run { log in
            try await EventStoreContract.subscriberSeesEveryEventOnceInOrder(log, writers: 8, eventsPerWriter: 500)
        }
    }
}

actor StoreList {
    var stores: [PostgresEventStore] = []
    func add(_ store: PostgresEventStore) { stores.append(store) }
    func closeAll() async {
        for store in stores { await store.close() }
        stores.removeAll()
    }
}

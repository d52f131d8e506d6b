import EventLog
import EventLogTesting
import Testing

@Suite struct InMemoryContractTests {
    let log: EventStoreContract.Log = { count in
        let store = InMemoryEventStore()
        return Array(repeating: store, count: count)
    }

    @Test func appendThenReadSeesTheWrite() async throws { try await EventStoreContract.appendThenReadSeesTheWrite(log) }
    @Test func staleExpectedVersionIsRejected() async throws { try await EventStoreContract.staleExpectedVersionIsRejected(log) }
    @Test func retriedAppendIsIdempotent() async throws { try await EventStoreContract.retriedAppendIsIdempotent(log) }
    @Test func reusedEventIDIsRefused() async throws { try await EventStoreContract.reusedEventIDWithOtherContentIsRefused(log) }
    @Test func emptyAppendIsRefused() async throws { try await EventStoreContract.emptyAppendIsRefused(log) }
    @Test func readsForwardBackward() async throws { try await EventStoreContract.readsForwardBackwardAndFromAVersion(log) }
    @Test func readToFold() async throws { try await EventStoreContract.readToFoldKeepsAuthorAndCommand(log) }
    @Test func readAllAndCategories() async throws { try await EventStoreContract.readAllPagesInLogOrderAndCategoriesFilter(log) }
    @Test func concurrentWritersOneWins() async throws { try await EventStoreContract.concurrentWritersOnOneStreamOneWins(log) }
    @Test func subscriberSeesEveryEventOnce() async throws { try await EventStoreContract.subscriberSeesEveryEventOnceInOrder(log) }
    @Test func subscriptionGoesLive() async throws { try await EventStoreContract.subscriptionCatchesUpThenGoesLive(log) }
}

import EventLog
import EventLogTesting
import Testing

@Suite struct InMemoryAtomicTests {
    let log: EventStoreContract.Log = { count in
        let store = InMemoryEventStore()
        return Array(repeating: store, count: count)
    }

    @Test func metadataKeepsEveryField() async throws { try await EventStoreContract.metadataKeepsEveryField(log) }
    @Test func atomicAppendWritesEveryStream() async throws { try await EventStoreContract.atomicAppendWritesEveryStream(log) }
    @Test func oneStaleStreamWritesNothing() async throws { try await EventStoreContract.atomicAppendWithOneStaleStreamWritesNothing(log) }
    @Test func retriedAtomicAppendIsIdempotent() async throws { try await EventStoreContract.retriedAtomicAppendIsIdempotent(log) }
    @Test func concurrentAtomicAppendsOneWins() async throws { try await EventStoreContract.concurrentAtomicAppendsOneWins(log) }
    @Test func malformedAtomicAppendIsRefused() async throws { try await EventStoreContract.malformedAtomicAppendIsRefused(log) }
}

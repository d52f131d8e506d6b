import EventLog
import EventLogTesting
import Testing

/// Atomic multi-stream appends (a backfill's commit) against PostgreSQL: one transaction.
@Suite struct PostgresAtomicTests {
    @Test func metadataKeepsEveryField() async throws { try await PostgresContractTests.run(EventStoreContract.metadataKeepsEveryField) }
    @Test func atomicAppendWritesEveryStream() async throws {
        try await PostgresContractTests.run(EventStoreContract.atomicAppendWritesEveryStream)
    }
    @Test func oneStaleStreamWritesNothing() async throws {
        try await PostgresContractTests.run(EventStoreContract.atomicAppendWithOneStaleStreamWritesNothing)
    }
    @Test func retriedAtomicAppendIsIdempotent() async throws {
        try await PostgresContractTests.run(EventStoreContract.retriedAtomicAppendIsIdempotent)
    }
    @Test func concurrentAtomicAppendsOneWins() async throws {
        try await PostgresContractTests.run(EventStoreContract.concurrentAtomicAppendsOneWins)
    }
    @Test func malformedAtomicAppendIsRefused() async throws {
        try await PostgresContractTests.run(EventStoreContract.malformedAtomicAppendIsRefused)
    }
}

public import EventLog
import Foundation
import Testing

/// The contract of ``AtomicAppending`` (several streams, all or nothing), and metadata kept in
/// full, for every store that offers it.
extension EventStoreContract {
    static func atomic(_ store: any EventStore) throws -> any AtomicAppending {
        guard let atomic = store as? any AtomicAppending else {
            throw EventLogError(code: .invalidValue, message: "\(type(of: store)) does not append atomically")
        }
        return atomic
    }

    /// Every metadata field an event is written with is read back, paper provenance included.
    public static func metadataKeepsEveryField(_ log: Log) async throws {
        let store = try await log(1)[0]
        let stream = Fixtures.stream()
        let metadata = EventMetadata(
            actorID: "sgt.reyes", actorRole: "training_sergeant", correlationID: UUID(), causationID: UUID(), source: "import:paper",
            commandID: UUID(), authentication: "local", requestID: "req-1", document: "DOR binder 3, page 14", documentSignedOn: "2025-03-04")
        let event = Fixtures.event(metadata: metadata)
        _ = try await store.append([event], to: stream, expectedVersion: .noStream)
        #expect(try await store.readStream(stream).map(\.metadata) == [metadata])
    }

    public static func atomicAppendWritesEveryStream(_ log: Log) async throws {
        let store = try atomic(try await log(1)[0])
        let existing = Fixtures.stream()
        _ = try await store.append(Fixtures.events(2), to: existing, expectedVersion: .noStream)
        let fresh = [Fixtures.stream(), Fixtures.stream("officer")]
        let parts = [
            StreamAppend(stream: fresh[0], events: Fixtures.events(3), expectedVersion: .noStream),
            StreamAppend(stream: existing, events: Fixtures.events(2), expectedVersion: .exact(2)),
            StreamAppend(stream: fresh[1], events: Fixtures.events(1), expectedVersion: .noStream),
        ]
        let results = try await store.appendAtomically(parts)
        #expect(results.map(\.stream) == parts.map(\.stream))
        #expect(results.map(\.firstVersion) == [1, 3, 1])
        #expect(results.map(\.lastVersion) == [3, 4, 1])
        for part in parts {
            #expect(try await store.readStream(part.stream).suffix(part.events.count).map(\.id) == part.events.map(\.id))
        }
    }

    /// One stale stream among several: nothing is written to any of them.
    public static func atomicAppendWithOneStaleStreamWritesNothing(_ log: Log) async throws {
        let store = try atomic(try await log(1)[0])
        let stale = Fixtures.stream()
        _ = try await store.append(Fixtures.events(2), to: stale, expectedVersion: .noStream)
        let other = Fixtures.stream()
        let error = await #expect(throws: EventLogError.self) {
            _ = try await store.appendAtomically([
                StreamAppend(stream: other, events: Fixtures.events(2), expectedVersion: .noStream),
                StreamAppend(stream: stale, events: Fixtures.events(1), expectedVersion: .exact(1)),
            ])
        }
        #expect(error?.code == .wrongExpectedVersion)
        #expect(error?.stream == stale)
        #expect(try await store.currentVersion(of: other) == 0)
        #expect(try await store.currentVersion(of: stale) == 2)
    }

    /// The same atomic append again (its reply was lost) writes nothing and returns the original.
    public static func retriedAtomicAppendIsIdempotent(_ log: Log) async throws {
        let store = try atomic(try await log(1)[0])
        let parts = [Fixtures.stream(), Fixtures.stream()].map { StreamAppend(stream: $0, events: Fixtures.events(2), expectedVersion: .noStream) }
        let first = try await store.appendAtomically(parts)
        let again = try await store.appendAtomically(parts)
        #expect(again.map(\.positions) == first.map(\.positions))
        for part in parts { #expect(try await store.currentVersion(of: part.stream) == 2) }
    }

    /// Two writers claim overlapping streams at once: one commits everything, the other nothing.
    public static func concurrentAtomicAppendsOneWins(_ log: Log) async throws {
        let stores = try await log(2).map(atomic)
        let shared = Fixtures.stream()
        let own = [Fixtures.stream(), Fixtures.stream()]
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for (store, stream) in zip(stores, own) {
                group.addTask {
                    do {
                        _ = try await store.appendAtomically([
                            StreamAppend(stream: stream, events: Fixtures.events(2), expectedVersion: .noStream),
                            StreamAppend(stream: shared, events: Fixtures.events(2), expectedVersion: .noStream),
                        ])
                        return true
                    } catch let error as EventLogError {
                        #expect(error.code == .wrongExpectedVersion)
                        return false
                    } catch {
                        Issue.record("unexpected \(error)")
                        return false
                    }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 1)
        #expect(try await stores[0].currentVersion(of: shared) == 2)
        let written = try await own.asyncMap { try await stores[0].currentVersion(of: $0) }
        #expect(written.sorted() == [0, 2])
    }

    public static func malformedAtomicAppendIsRefused(_ log: Log) async throws {
        let store = try atomic(try await log(1)[0])
        let stream = Fixtures.stream()
        for (parts, code) in [
            ([], EventLogError.Code.emptyAppend),
            ([StreamAppend(stream: stream, events: [], expectedVersion: .noStream)], .emptyAppend),
            (
                [
                    StreamAppend(stream: stream, events: Fixtures.events(1), expectedVersion: .noStream),
                    StreamAppend(stream: stream, events: Fixtures.events(1), expectedVersion: .noStream),
                ], .invalidValue
            ),
        ] {
            let error = await #expect(throws: EventLogError.self) { _ = try await store.appendAtomically(parts) }
            #expect(error?.code == code)
        }
        #expect(try await store.currentVersion(of: stream) == 0)
    }
}

extension Array {
    fileprivate func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}

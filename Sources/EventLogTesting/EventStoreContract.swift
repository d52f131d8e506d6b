public import EventLog
import Foundation
import Testing

/// The behaviour every `EventStore` must show, run against the in-memory store and the
/// PostgreSQL store alike (pyeventsourcing's pattern).
///
/// Each check takes a `Log`: a function that hands out `count` stores sharing one fresh,
/// empty log (for PostgreSQL, separate connections to one new database).
public enum EventStoreContract {
    public typealias Log = @Sendable (_ count: Int) async throws -> [any EventStore]

    public static func appendThenReadSeesTheWrite(_ log: Log) async throws {
        let store = try await log(1)[0]
        let stream = Fixtures.stream()
        let events = Fixtures.events(3)
        let result = try await store.append(events, to: stream, expectedVersion: .noStream)
        #expect(result.firstVersion == 1)
        #expect(result.lastVersion == 3)
        #expect(result.positions.count == 3)
        let read = try await store.readStream(stream)
        #expect(read.map(\.id) == events.map(\.id))
        #expect(read.map(\.version) == [1, 2, 3])
        // Stores may format JSON their own way (jsonb does); the value must be the same.
        #expect(try read.map { try CanonicalJSON.canonicalize($0.data, field: "data") } == events.map(\.data))
        #expect(read.map(\.metadata) == events.map(\.metadata))
        #expect(read.map(\.occurredAt) == events.map(\.occurredAt))
        #expect(read.map(\.position) == result.positions)
        #expect(try await store.currentVersion(of: stream) == 3)
    }

    public static func staleExpectedVersionIsRejected(_ log: Log) async throws {
        let store = try await log(1)[0]
        let stream = Fixtures.stream()
        _ = try await store.append(Fixtures.events(2), to: stream, expectedVersion: .noStream)
        let error = await #expect(throws: EventLogError.self) {
            _ = try await store.append([Fixtures.event()], to: stream, expectedVersion: .exact(1))
        }
        #expect(error?.code == .wrongExpectedVersion)
        #expect(error?.stream == stream)
        #expect(error?.expectedVersion == .exact(1))
        #expect(error?.actualVersion == 2)
        let noStream = await #expect(throws: EventLogError.self) {
            _ = try await store.append([Fixtures.event()], to: stream, expectedVersion: .noStream)
        }
        #expect(noStream?.actualVersion == 2)
        let ahead = await #expect(throws: EventLogError.self) {
            _ = try await store.append([Fixtures.event()], to: Fixtures.stream(), expectedVersion: .exact(4))
        }
        #expect(ahead?.actualVersion == 0)
        // Nothing half-written: the stream is as it was.
        #expect(try await store.readStream(stream).count == 2)
        // The right version succeeds.
        let ok = try await store.append([Fixtures.event()], to: stream, expectedVersion: .exact(2))
        #expect(ok.firstVersion == 3)
    }

    public static func retriedAppendIsIdempotent(_ log: Log) async throws {
        let store = try await log(1)[0]
        let stream = Fixtures.stream()
        let events = Fixtures.events(3)
        let first = try await store.append(events, to: stream, expectedVersion: .noStream)
        let retry = try await store.append(events, to: stream, expectedVersion: .noStream)
        #expect(retry == first)
        let retryAny = try await store.append(events, to: stream, expectedVersion: .any)
        #expect(retryAny == first)
        let single = [Fixtures.event()]
        let once = try await store.append(single, to: stream, expectedVersion: .exact(3))
        #expect(try await store.append(single, to: stream, expectedVersion: .exact(3)) == once)
        #expect(try await store.readStream(stream).count == 4)
        #expect(try await readEverything(store, expecting: 4).count == 4)
    }

    public static func reusedEventIDWithOtherContentIsRefused(_ log: Log) async throws {
        let store = try await log(1)[0]
        let event = Fixtures.event()
        _ = try await store.append([event], to: Fixtures.stream(), expectedVersion: .any)
        let elsewhere = await #expect(throws: EventLogError.self) {
            _ = try await store.append([event], to: Fixtures.stream(), expectedVersion: .any)
        }
        #expect(elsewhere?.code == .duplicateEvent)
        let changed = Fixtures.event(data: #"{"n":2}"#, id: event.id)
        let stream = Fixtures.stream()
        let altered = await #expect(throws: EventLogError.self) {
            _ = try await store.append([Fixtures.event(), changed], to: stream, expectedVersion: .any)
        }
        #expect(altered?.code == .duplicateEvent)
        #expect(try await store.readStream(stream).isEmpty)
    }

    public static func emptyAppendIsRefused(_ log: Log) async throws {
        let store = try await log(1)[0]
        let error = await #expect(throws: EventLogError.self) {
            _ = try await store.append([], to: Fixtures.stream(), expectedVersion: .any)
        }
        #expect(error?.code == .emptyAppend)
    }

    public static func readsForwardBackwardAndFromAVersion(_ log: Log) async throws {
        let store = try await log(1)[0]
        let stream = Fixtures.stream()
        _ = try await store.append(Fixtures.events(5), to: stream, expectedVersion: .noStream)
        #expect(try await store.readStream(stream, from: 3, direction: .forward, limit: 10).map(\.version) == [3, 4, 5])
        #expect(try await store.readStream(stream, from: 4, direction: .backward, limit: 2).map(\.version) == [4, 3])
        #expect(try await store.readStream(stream, from: .max, direction: .backward, limit: 1).map(\.version) == [5])
        #expect(try await store.readStream(Fixtures.stream(), from: 1, direction: .forward, limit: 10).isEmpty)
    }

    /// The read that folds and decides: the same events, in pages, each with at least its
    /// author, role and command id.
    public static func readToFoldKeepsAuthorAndCommand(_ log: Log) async throws {
        let store = try await log(1)[0]
        let stream = Fixtures.stream()
        let command = UUID()
        let metadata = EventMetadata(
            actorID: "fto.ramos", actorRole: "fto", correlationID: command, source: "test", commandID: command, authentication: "session")
        let events = (0..<7).map { Fixtures.event(data: #"{"n":\#($0)}"#, metadata: metadata) }
        _ = try await store.append(events, to: stream, expectedVersion: .noStream)
        let whole = try await store.readStreamToFold(stream)
        #expect(whole.map(\.id) == events.map(\.id))
        #expect(whole.map(\.version) == Array(1...7))
        #expect(whole.allSatisfy { $0.metadata.actorID == "fto.ramos" && $0.metadata.actorRole == "fto" && $0.metadata.commandID == command })
        #expect(try whole.map { try CanonicalJSON.canonicalize($0.data, field: "data") } == events.map(\.data))
        #expect(try await store.readStreamToFold(stream, from: 3, limit: 2).map(\.version) == [3, 4])
        #expect(try await store.readStreamToFold(stream, from: 8, limit: 5).isEmpty)
    }

    public static func readAllPagesInLogOrderAndCategoriesFilter(_ log: Log) async throws {
        let store = try await log(1)[0]
        var written: [UUID] = []
        for index in 0..<7 {
            let stream = Fixtures.stream(index.isMultiple(of: 2) ? "trainee" : "policy")
            let events = Fixtures.events(index + 1)
            _ = try await store.append(events, to: stream, expectedVersion: .any)
            written += events.map(\.id)
        }
        let read = try await readEverything(store, expecting: written.count, pageSize: 4)
        #expect(read.map(\.id) == written)
        #expect(zip(read, read.dropFirst()).allSatisfy { $0.position < $1.position })
        // Everything is below the horizon now (readEverything saw it all).
        let trainees = try await store.readCategory("trainee", after: .start, limit: 1000)
        #expect(trainees.allSatisfy { $0.stream.category == "trainee" })
        #expect(trainees.count == 16)
        let page = try await store.readCategory("policy", after: .start, limit: 3)
        let rest = try await store.readCategory("policy", after: try #require(page.last).position, limit: 100)
        let policyCount = page.count + rest.count
        #expect(policyCount == 12)
    }

    /// Of many writers racing on one stream with the same expected version, exactly one wins.
    public static func concurrentWritersOnOneStreamOneWins(_ log: Log) async throws {
        let stores = try await log(4)
        let stream = Fixtures.stream()
        _ = try await stores[0].append([Fixtures.event()], to: stream, expectedVersion: .noStream)
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for store in stores {
                group.addTask {
                    do {
                        _ = try await store.append([Fixtures.event()], to: stream, expectedVersion: .exact(1))
                        return true
                    } catch {
                        return false
                    }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 1)
        #expect(try await stores[0].readStream(stream).count == 2)
    }

    /// Writers on distinct streams while a subscriber follows the log: the subscriber sees
    /// every event exactly once, in position order, although commits finish out of order.
    public static func subscriberSeesEveryEventOnceInOrder(_ log: Log, writers: Int = 8, eventsPerWriter: Int = 100) async throws {
        let stores = try await log(writers + 1)
        let reader = stores[writers]
        let total = writers * eventsPerWriter
        let collector = Task {
            var seen: [RecordedEvent] = []
            for try await event in reader.subscribe(after: .start) {
                seen.append(event)
                if seen.count == total { break }
            }
            return seen
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                let store = stores[writer]
                group.addTask {
                    let stream = Fixtures.stream("writer\(writer)")
                    var index = 0
                    while index < eventsPerWriter {
                        // Mix single appends and small batches.
                        let size = min(index % 3 == 0 ? 3 : 1, eventsPerWriter - index)
                        _ = try await store.append(Fixtures.events(size, tag: "\(writer)"), to: stream, expectedVersion: .any)
                        index += size
                    }
                }
            }
            try await group.waitForAll()
        }
        let seen = try await withTimeout(seconds: 120) { try await collector.value }
        #expect(seen.count == total)
        #expect(Set(seen.map(\.id)).count == total)
        #expect(zip(seen, seen.dropFirst()).allSatisfy { $0.position < $1.position })
        let stored = try await readEverything(reader, expecting: total)
        #expect(Set(stored.map(\.id)) == Set(seen.map(\.id)))
        for stream in Set(seen.map(\.stream)) {
            let versions = seen.filter { $0.stream == stream }.map(\.version)
            #expect(versions == Array(1...versions.count))
        }
    }

    public static func subscriptionCatchesUpThenGoesLive(_ log: Log) async throws {
        let stores = try await log(2)
        let stream = Fixtures.stream()
        _ = try await stores[0].append(Fixtures.events(3), to: stream, expectedVersion: .noStream)
        let collector = Task {
            var seen: [RecordedEvent] = []
            for try await event in stores[1].subscribe(after: .start) {
                seen.append(event)
                if seen.count == 5 { break }
            }
            return seen
        }
        try await Task.sleep(for: .milliseconds(100))
        _ = try await stores[0].append(Fixtures.events(2), to: stream, expectedVersion: .exact(3))
        let seen = try await withTimeout(seconds: 30) { try await collector.value }
        #expect(seen.map(\.version) == [1, 2, 3, 4, 5])
    }

    /// Pages through the whole log until `expecting` events have been read.
    ///
    /// `readAll` only returns events below the safe horizon: a transaction still running
    /// anywhere on the server (in tests, often another test's database) holds it back for a
    /// moment. Readers wait for it; they never skip. So this polls, bounded by a deadline.
    public static func readEverything(
        _ store: any EventStore, expecting: Int, pageSize: Int = 1000, timeout: Duration = .seconds(30)
    ) async throws -> [RecordedEvent] {
        var all: [RecordedEvent] = []
        var position = LogPosition.start
        let deadline = ContinuousClock.now + timeout
        while all.count < expecting && ContinuousClock.now < deadline {
            let page = try await store.readAll(after: position, limit: pageSize)
            #expect(page.count <= pageSize)
            if let last = page.last {
                all += page
                position = last.position
            } else {
                try await Task.sleep(for: .milliseconds(10))
            }
        }
        return all
    }
}

/// Runs `body`, failing if it takes longer than `seconds` (a hung subscription fails the test
/// instead of hanging CI).
public func withTimeout<T: Sendable>(seconds: Double, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            throw TimeoutError(seconds: seconds)
        }
        let value = try await group.next()!
        group.cancelAll()
        return value
    }
}

public struct TimeoutError: Error, CustomStringConvertible {
    public var seconds: Double
    public var description: String { "timed out after \(seconds) s" }
}

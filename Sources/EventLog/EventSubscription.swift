/// The events after a position: those already stored, then new ones as they commit.
///
/// Pull-based: each `next()` reads a batch when its buffer is empty, and when caught up waits
/// for a wake-up (a notification, or the polling interval) before asking again. A slow consumer
/// slows reading; nothing piles up in memory. Ends (returns `nil`) when its task is cancelled.
public struct EventSubscription: AsyncSequence, Sendable {
    public typealias Element = RecordedEvent
    public typealias Fetch = @Sendable (LogPosition, Int) async throws -> [RecordedEvent]
    public typealias Wait = @Sendable () async throws -> Void

    let start: LogPosition
    let batchSize: Int
    let fetch: Fetch
    let wait: Wait

    /// - Parameters:
    ///   - fetch: reads up to `limit` events after a position, in log order.
    ///   - wait: returns when new events may exist (or after a polling interval).
    public init(start: LogPosition, batchSize: Int = 500, fetch: @escaping Fetch, wait: @escaping Wait) {
        self.start = start
        self.batchSize = batchSize
        self.fetch = fetch
        self.wait = wait
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(position: start, batchSize: batchSize, fetch: fetch, wait: wait)
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var position: LogPosition
        let batchSize: Int
        let fetch: Fetch
        let wait: Wait
        var buffer: [RecordedEvent] = []
        var index = 0

        public mutating func next() async throws -> RecordedEvent? {
            while index == buffer.count {
                if Task.isCancelled { return nil }
                let batch = try await fetch(position, batchSize)
                if batch.isEmpty {
                    do { try await wait() } catch is CancellationError { return nil }
                } else {
                    buffer = batch
                    index = 0
                }
            }
            let event = buffer[index]
            index += 1
            position = event.position
            return event
        }
    }
}

import ArgumentParser
import EventLog
import EventLogPostgres
import Foundation
import TrainingServices

extension Muster {
    struct Events: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Append to and read the raw event log.",
            subcommands: [Append.self, Read.self, All.self, Streams.self])
    }
}

/// Prints events as a table or JSON.
func printEvents(_ events: [RecordedEvent], json: Bool) throws {
    if json { return try Output.json(events.map(EventView.init)) }
    Output.table(
        ["STREAM", "VER", "TYPE", "OCCURRED", "RECORDED", "ACTOR", "ROLE", "DATA"],
        events.map {
            [
                $0.stream.rawValue, "\($0.version)", $0.type, Output.date($0.occurredAt), Output.date($0.recordedAt),
                $0.metadata.actorID, $0.metadata.actorRole, Output.abbreviate($0.data, to: 50),
            ]
        })
}

/// The JSON shape of an event on the command line.
struct EventView: Encodable {
    var stream: String
    var version: Int
    var position: String
    var id: UUID
    var type: String
    var schemaVersion: Int
    var occurredAt: Date
    var recordedAt: Date
    var metadata: EventMetadata
    var data: String

    init(_ event: RecordedEvent) {
        stream = event.stream.rawValue
        version = event.version
        position = event.position.description
        id = event.id
        type = event.type
        schemaVersion = event.schemaVersion
        occurredAt = event.occurredAt
        recordedAt = event.recordedAt
        metadata = event.metadata
        data = event.data
    }
}

/// `--expected-version any|none|N`.
struct ExpectedVersionArgument: ExpressibleByArgument {
    var value: ExpectedVersion

    init?(argument: String) {
        switch argument {
        case "any": value = .any
        case "none", "no-stream": value = .noStream
        default:
            guard let version = Int(argument), version >= 0 else { return nil }
            value = version == 0 ? .noStream : .exact(version)
        }
    }
}

extension Muster.Events {
    struct Append: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Append one event to a stream.",
            discussion:
                "Example: muster events append trainee-42 --type test.noted.v1 --data '{\"note\":\"hi\"}' --actor sgt.reyes --role training_sergeant")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "Stream name, category-id (e.g. trainee-42).") var stream: String
        @Option(help: "Stored event type, explicit and versioned (e.g. academy.test-recorded.v1).") var type: String
        @Option(help: "Payload: a JSON object.") var data: String
        @Option(help: "Acting user (default: MUSTER_USER).") var actor: String?
        @Option(help: "Role the actor acts in (default: MUSTER_ROLE).") var role: String?
        @Option(help: "Full metadata as JSON (actor_id, actor_role, correlation_id, causation_id, source); overrides --actor/--role.")
        var metadata: String?
        @Option(help: "any, none, or the stream's current version.") var expectedVersion = ExpectedVersionArgument(argument: "any")!
        @Option(help: "When it happened, ISO 8601 (default: now).") var occurredAt: String?
        @Option(help: "Event id (a retry with the same id is a no-op).") var id: String?

        func validate() throws {
            if occurredAt != nil && parsedOccurredAt == nil {
                throw ValidationError("--occurred-at must be an ISO 8601 date or time, e.g. 2026-05-01 or 2026-05-01T08:30:00Z")
            }
            if let id, UUID(uuidString: id) == nil { throw ValidationError("--id must be a UUID") }
        }

        var parsedOccurredAt: Date? {
            guard let occurredAt else { return nil }
            return (try? Date(occurredAt, strategy: .iso8601))
                ?? (try? Date(occurredAt, strategy: .iso8601.year().month().day().dateSeparator(.dash)))
        }

        func run() async throws {
            let stream = try StreamID(validating: stream)
            let environment = ProcessInfo.processInfo.environment
            let eventMetadata: EventMetadata
            if let metadata {
                eventMetadata = try EventMetadata(json: metadata)
            } else {
                guard let actor = actor ?? environment["MUSTER_USER"], let role = role ?? environment["MUSTER_ROLE"] else {
                    throw UserError("say who is recording: --actor NAME --role ROLE (or set MUSTER_USER and MUSTER_ROLE)")
                }
                eventMetadata = EventMetadata(actorID: actor, actorRole: role, correlationID: UUID(), source: "cli")
            }
            let event = try EventData(
                id: id.flatMap(UUID.init(uuidString:)) ?? UUID(), type: type, data: data, metadata: eventMetadata,
                occurredAt: parsedOccurredAt ?? Date())
            let result = try await options.database.withStore {
                try await $0.append([event], to: stream, expectedVersion: expectedVersion.value)
            }
            if options.json {
                return try Output.json(["stream": stream.rawValue, "version": "\(result.lastVersion)", "id": event.id.uuidString])
            }
            say("appended \(type) to \(stream) as version \(result.lastVersion) (id \(event.id))")
        }
    }

    struct Read: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Read one stream's events.")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "Stream name (category-id).") var stream: String
        @Option(help: "First version to read (default: the start, or the end with --backward).") var from: Int?
        @Flag(help: "Newest first.") var backward = false
        @Option(parsing: .unconditional, help: "At most this many events.") var limit = Bounded<RowLimit>(1000)

        func validate() throws { _ = try limit.checked("--limit") }

        func run() async throws {
            let stream = try StreamID(validating: stream)
            let events = try await options.database.withStore {
                try await $0.readStream(
                    stream, from: from ?? (backward ? Int.max : 1), direction: backward ? .backward : .forward, limit: limit.value)
            }
            if events.isEmpty && from == nil {
                throw UserError("stream \(stream) has no events; check the name with `muster events streams`")
            }
            try printEvents(events, json: options.json)
        }
    }

    struct All: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Read the whole log in order, a page at a time.")

        @OptionGroup var options: GlobalOptions
        @Option(help: "Start after this position (TRANSACTION/GLOBAL, as printed by --json).") var after: String?
        @Option(parsing: .unconditional, help: "At most this many events.") var limit = Bounded<RowLimit>(100)
        @Option(help: "Only streams of this category (e.g. trainee).") var category: String?

        func validate() throws { _ = try limit.checked("--limit") }

        func run() async throws {
            var position = LogPosition.start
            if let after {
                let parts = after.split(separator: "/")
                guard parts.count == 2, let transaction = UInt64(parts[0]), let global = Int64(parts[1]) else {
                    throw ValidationError("--after must be TRANSACTION/GLOBAL, e.g. 812/40")
                }
                position = LogPosition(transaction: transaction, global: global)
            }
            let events = try await options.database.withStore { store in
                if let category {
                    try await store.readCategory(category, after: position, limit: limit.value)
                } else {
                    try await store.readAll(after: position, limit: limit.value)
                }
            }
            try printEvents(events, json: options.json)
        }
    }

    struct Streams: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List streams and their current versions.")

        @OptionGroup var options: GlobalOptions
        @Option(help: "Only streams whose name starts with this.") var prefix = ""

        func run() async throws {
            let streams = try await options.database.withStore { try await $0.streams(prefix: prefix) }
            if options.json { return try Output.json(streams) }
            Output.table(["STREAM", "VERSION", "LAST RECORDED"], streams.map { [$0.stream, "\($0.version)", Output.date($0.lastRecordedAt)] })
        }
    }
}

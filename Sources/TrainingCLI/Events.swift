import ArgumentParser
import EventLog
import EventLogPostgres
import Foundation
import TrainingDomain
import TrainingRecords
import TrainingServices

extension Muster {
    struct Events: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "events",
            abstract: "Append to and read the raw event log.",
            subcommands: [Append.self, Resolve.self, Types.self, Read.self, All.self, Streams.self])
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
            commandName: "append",
            abstract: "Append one event to a stream, bypassing the rules: an operator's repair tool (system administrators only).",
            discussion: """
                The type must be a registered event type (see `muster events types`) and the payload must read as that type.
                The event is recorded with you (--as) as its author, system_administrator as the role and operator:events-append
                as its source, never as anyone else. Example:
                  muster events append trainee-42 --type record.entry-retracted.v1 --data '{"entry":"…","reason":"…"}' --as it.admin
                """)

        @OptionGroup var acting: ActingOptions
        @Argument(help: "Stream name, category-id (e.g. trainee-42).") var stream: String
        @Option(help: "Registered event type (e.g. academy.test-recorded.v1).") var type: String
        @Option(help: "Payload: a JSON object of that type.") var data: String
        @Option(help: "any, none, or the stream's current version.") var expectedVersion = ExpectedVersionArgument(argument: "any")!
        @Option(help: "The business day it happened, YYYY-MM-DD (default: today).") var date: Day?

        func run() async throws {
            let stream = try StreamID(validating: stream)
            let provenance = acting.provenance
            let event = try await retryingWhenUnreachable(provenance) {
                try await acting.global.database.withServices { services in
                    try await services.training.appendAsOperator(
                        type, payload: data, to: stream, occurredOn: date ?? services.today, expectedVersion: expectedVersion.value,
                        by: try await services.actor(acting.actingUser), provenance: provenance)
                }
            }
            if acting.global.json {
                return try Output.json(["stream": stream.rawValue, "version": "\(event.version)", "id": event.id.uuidString])
            }
            say("appended \(type) to \(stream) as version \(event.version) (id \(event.id), recorded as an operator's repair)")
        }
    }

    struct Resolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "resolve",
            abstract: "Decide on an entry nobody can read: set it aside, or confirm today's code reads it again (system administrators).")

        @OptionGroup var acting: ActingOptions
        @Argument(help: "Trainee id.") var trainee: TraineeID
        @Option(help: "The unreadable entry's id (see `muster history` or `muster projections status`).") var entry: EntryID
        @Flag(exclusivity: .exclusive, help: "The decision.") var resolution: Decision
        @Option(help: "Why.") var reason: String

        enum Decision: String, EnumerableFlag {
            case setAside, reread
            var value: UnreadableEntryResolved.Resolution { self == .setAside ? .setAside : .reread }
        }

        func run() async throws {
            let provenance = acting.provenance
            let events = try await retryingWhenUnreachable(provenance) {
                try await acting.global.database.withServices { services in
                    try await services.training.resolveUnreadable(
                        entry, resolution: resolution.value, reason: reason, on: .trainee(trainee), by: try await services.actor(acting.actingUser),
                        provenance: provenance)
                }
            }
            if acting.global.json { return try Output.json(events.map { ["entry": $0.id.uuidString.lowercased(), "type": $0.type] }) }
            say("recorded the decision (\(resolution.rawValue)) on entry \(entry) of trainee \(trainee)")
        }
    }

    struct Types: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "types", abstract: "List the registered event types and their current schema versions.")
        @Flag(help: "Print JSON for programs instead of tables.") var json = false
        func run() throws {
            let types = EventCodec.typeNames.map { ($0, EventCodec.currentSchemaVersion(of: $0)) }
            if json { return try Output.json(types.map { ["type": $0.0, "schema_version": "\($0.1)"] }) }
            Output.table(["TYPE", "SCHEMA"], types.map { [$0.0, "\($0.1)"] })
        }
    }

    struct Read: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "read", abstract: "Read one stream's events.")

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
        static let configuration = CommandConfiguration(commandName: "all", abstract: "Read the whole log in order, a page at a time.")

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
        static let configuration = CommandConfiguration(commandName: "streams", abstract: "List streams and their current versions.")

        @OptionGroup var options: GlobalOptions
        @Option(help: "Only streams whose name starts with this.") var prefix = ""
        @Option(help: "Start after this stream name (the next page).") var after: String?
        @Option(parsing: .unconditional, help: "At most this many streams.") var limit = Bounded<RowLimit>(1000)

        func validate() throws { _ = try limit.checked("--limit") }

        func run() async throws {
            let streams = try await options.database.withStore { try await $0.streams(prefix: prefix, after: after ?? "", limit: limit.value) }
            if options.json { return try Output.json(streams) }
            Output.table(["STREAM", "VERSION", "LAST RECORDED"], streams.map { [$0.stream, "\($0.version)", Output.date($0.lastRecordedAt)] })
            if streams.count == limit.value, let last = streams.last {
                Output.note("more streams follow: muster events streams --after \(last.stream)\(prefix.isEmpty ? "" : " --prefix \(prefix)")")
            }
        }
    }
}

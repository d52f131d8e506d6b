import ArgumentParser
import EventLog
import Foundation
import TrainingDomain
import TrainingRecords
import TrainingServices

/// The database and the acting user: what every command that records shares.
struct ActingOptions: ParsableArguments {
    @OptionGroup var global: GlobalOptions
    @Option(name: .customLong("as"), help: "Acting user (default: MUSTER_USER).") var actingUser: String?
    @Option(
        help: "This command's id (a UUID; default: a new one). Run again with the same id, a command records nothing twice.")
    var requestID: RequestID?
    @Option(help: "Transcribed from this paper record (a form's reference, binder and page); needs --signed-on.") var fromPaper: String?
    @Option(help: "The day the paper record was signed, YYYY-MM-DD (with --from-paper).") var signedOn: Day?

    func validate() throws {
        guard (fromPaper == nil) == (signedOn == nil) else {
            throw ValidationError("--from-paper and --signed-on go together: name the paper record and the day it was signed")
        }
        if let fromPaper, fromPaper.allSatisfy(\.isWhitespace) { throw ValidationError("--from-paper must name the paper record") }
    }

    /// One per run of the command, kept across its retries.
    var provenance: Provenance {
        Provenance(
            source: "cli", commandID: requestID?.uuid ?? Self.commandID, authentication: "local",
            document: fromPaper.flatMap { reference in signedOn.map { PaperDocument(reference: reference, signedOn: $0) } })
    }

    static let commandID = UUID()
}

/// `--request-id`: a UUID a script supplies so that running a command again is harmless.
struct RequestID: ExpressibleByArgument, Sendable {
    let uuid: UUID
    init?(argument: String) {
        guard let uuid = UUID(uuidString: argument) else { return nil }
        self.uuid = uuid
    }
}

/// Runs `body`, and again (up to three more times, backing off) when the database could not be
/// reached or the connection dropped: the command's id makes a retry record nothing twice, so
/// an ambiguous failure (the commit happened, the reply was lost) is safe to retry.
func retryingWhenUnreachable<T: Sendable>(_ provenance: Provenance, _ body: () async throws -> T) async throws -> T {
    var delay = Duration.milliseconds(300)
    for attempt in 1... {
        do {
            return try await body()
        } catch let error as EventLogError where error.code == .storageUnavailable && attempt < 4 {
            Output.note("the database did not answer (\(error.message)); retrying command \(provenance.commandID) in \(delay)")
            try await Task.sleep(for: delay)
            delay *= 3
        }
    }
    preconditionFailure("the loop returns or throws")
}

/// Options every recording command shares: the database, the acting user and the business day.
struct RecordOptions: ParsableArguments {
    @OptionGroup var acting: ActingOptions
    @Option(help: "The day it happened, YYYY-MM-DD (default: today).") var date: Day?
    @Option(help: "Why an entry a plausibility check questions is right anyway (where policy allows overriding the check).")
    var override: String?

    var global: GlobalOptions { acting.global }
    var actingUser: String? { acting.actingUser }
}

/// Whose record a command writes to, with the shared recording options.
protocol RecordTarget: ParsableArguments {
    var record: RecordOptions { get }
    var reference: FileReference { get }
}

/// The shared options plus the trainee the entry is about.
struct TraineeRecordOptions: RecordTarget {
    @OptionGroup var record: RecordOptions
    @Argument(help: "Trainee id.") var trainee: TraineeID
    var reference: FileReference { .trainee(trainee) }
}

/// The shared options plus the officer the entry is about.
struct OfficerRecordOptions: RecordTarget {
    @OptionGroup var record: RecordOptions
    @Argument(help: "Officer id.") var officer: OfficerID
    var reference: FileReference { .officer(officer) }
}

/// A recording command whose record is named by its shared options (a trainee or an officer).
protocol TargetedRecordingCommand: RecordingCommand {
    associatedtype Target: RecordTarget
    var target: Target { get }
}

extension TargetedRecordingCommand {
    var recordOptions: RecordOptions { target.record }
    var reference: FileReference { target.reference }
}

/// Most commands record on one trainee's file.
protocol TraineeRecordingCommand: TargetedRecordingCommand where Target == TraineeRecordOptions {}

/// FTO-qualification commands record on one officer's file.
protocol OfficerRecordingCommand: TargetedRecordingCommand where Target == OfficerRecordOptions {}

/// What one recording command does: the one command it records, made from the business day
/// and the acting user. Opening the services, resolving the actor, recording and printing are
/// shared (see ``perform(_:on:)``).
protocol RecordingCommand: AsyncParsableCommand {
    var recordOptions: RecordOptions { get }
    var reference: FileReference { get }
    func command(on day: Day, by actor: Actor, services: Services) async throws -> TrainingCommand
}

extension RecordingCommand {
    func run() async throws {
        try await perform(recordOptions, on: reference) { services, day, actor in try await command(on: day, by: actor, services: services) }
    }
}

/// Opens the services, resolves the acting user, records the command and prints what was recorded.
func perform(
    _ options: RecordOptions, on reference: FileReference, _ make: (Services, Day, Actor) async throws -> TrainingCommand
) async throws {
    let provenance = options.acting.provenance
    let events = try await retryingWhenUnreachable(provenance) {
        try await options.global.database.withServices { services in
            let actor = try await services.actor(options.actingUser)
            let command = try await make(services, options.date ?? services.today, actor)
            let events = try await services.training.record(
                command, on: reference, by: actor, provenance: provenance, overrideReason: options.override)
            return (events, actor)
        }
    }
    if options.global.json {
        return try Output.json(events.0.map { ["entry": $0.id.uuidString.lowercased(), "type": $0.type, "version": "\($0.version)"] })
    }
    for event in events.0 {
        say("recorded \(event.type) on \(reference) as \(events.1) (entry \(event.id.uuidString.lowercased()))")
    }
}

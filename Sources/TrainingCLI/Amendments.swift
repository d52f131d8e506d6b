import ArgumentParser
import Foundation
import TrainingDomain
import TrainingServices

// Entries that change a record's course after the fact: a separation, and corrections and
// retractions, which name the entry they amend (the original stays on record).

extension Muster {
    struct Separate: TraineeRecordingCommand {
        static let configuration = CommandConfiguration(
            commandName: "separate",
            abstract: "Record a separation (\(SeparationKind.allCases.map(\.rawValue).joined(separator: ", "))).")
        @OptionGroup var target: TraineeRecordOptions
        @Option(help: "How they left.") var kind: SeparationKind
        @Option(help: "Why.") var reason: String
        func command(on day: Day, by actor: Actor, services: Services) -> TrainingCommand { .separate(kind: kind, reason: reason, on: day) }
    }

    struct Correct: TraineeRecordingCommand {
        static let configuration = CommandConfiguration(
            commandName: "correct",
            abstract: "Correct an entry: record its corrected content (JSON, same kind) with a reason. The original stays on record.")
        @OptionGroup var target: TraineeRecordOptions
        @Option(help: "The entry corrected.") var entry: EntryID
        @Option(help: "Why.") var reason: String
        @Option(help: "The entry's corrected content as JSON (see `muster history --json` for the original).") var data: String
        func command(on day: Day, by actor: Actor, services: Services) async throws -> TrainingCommand {
            guard let original = try await services.training.load(reference).file.entry(entry) else {
                throw UserError("trainee \(target.trainee) has no entry \(entry); see `muster history \(target.trainee)`")
            }
            let replacement: TrainingEvent
            do {
                replacement = try EventCodec.decode(
                    type: original.type, schemaVersion: EventCodec.currentSchemaVersion(of: original.type), json: Data(data.utf8))
            } catch {
                throw UserError("--data is not a valid \(original.type): \(EventCodec.describe(error))")
            }
            return .correctEntry(entry: entry, reason: reason, replacement: replacement, on: day)
        }
    }

    struct Retract: TraineeRecordingCommand {
        static let configuration = CommandConfiguration(
            commandName: "retract", abstract: "Retract an entry with a reason. The original stays on record.")
        @OptionGroup var target: TraineeRecordOptions
        @Option(help: "The entry retracted.") var entry: EntryID
        @Option(help: "Why.") var reason: String
        func command(on day: Day, by actor: Actor, services: Services) -> TrainingCommand { .retractEntry(entry: entry, reason: reason, on: day) }
    }
}

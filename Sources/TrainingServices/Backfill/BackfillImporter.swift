public import EventLog
import Foundation
public import TrainingDomain
public import TrainingRecords

/// Imports a backfill: decides every step of the plan, in timeline order, through the normal
/// ``TrainingService`` against a ``StagingEventStore`` (every rule applies; nothing is written),
/// then commits everything staged in one transaction, or nothing.
///
/// Each row's commands take ids derived from the row (see ``BackfillRow/commandID(_:agency:)``),
/// so running the same import again, after a reply was lost, finds what it recorded and
/// records nothing twice.
public struct BackfillImporter: Sendable {
    public let store: any AtomicAppending
    public let agency: AgencyID
    public let clock: WallClock

    /// The source every imported entry carries.
    public static let source = "import:paper"

    public init(store: any AtomicAppending, agency: AgencyID, clock: WallClock = .system) {
        self.store = store
        self.agency = agency
        self.clock = clock
    }

    /// Everything the plan records, decided and staged, not yet written.
    public struct Staged: Sendable {
        public let staging: StagingEventStore
        /// What committing would record.
        public let report: BackfillReport
    }

    /// Decides and stages the whole plan, or throws the first row a rule refuses.
    ///
    /// Steps of one day run in timeline order; a step refused at its turn runs again after the
    /// day's other steps (an FTO assigned to the next phase once this one is signed off), until
    /// a round records nothing more: then the first refusal left is the error.
    /// - Parameter progress: called with the steps decided so far and the total.
    public func stage(_ plan: BackfillPlan, progress: @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> Staged {
        let staging = StagingEventStore(base: store, now: clock.now)
        let service = TrainingService(store: staging, agency: agency, clock: clock)
        var tally = BackfillTally()
        var decided = 0
        var start = plan.steps.startIndex
        while start < plan.steps.endIndex {
            var end = start + 1
            while end < plan.steps.endIndex && Self.sameDay(plan.steps[start], plan.steps[end]) { end += 1 }
            var pending = Array(plan.steps[start..<end])
            while !pending.isEmpty {
                var refused: [(step: BackfillStep, error: BackfillError)] = []
                for step in pending {
                    do {
                        let events = try await run(step, with: service)
                        tally.add(step, events, isNew: await staging.staged(events))
                        decided += 1
                        progress(decided, plan.steps.count)
                    } catch let error as DomainError {
                        refused.append((step, explain(error, at: step)))
                    } catch let error as BackfillError {
                        refused.append((step, error))
                    }
                }
                if refused.count == pending.count { throw refused[0].error }
                pending = refused.map(\.step)
            }
            start = end
        }
        return Staged(staging: staging, report: tally.report(plan, dryRun: true))
    }

    /// Writes everything staged in one transaction, each stream at the version the import read.
    public func commit(_ staged: Staged) async throws -> BackfillReport {
        var report = staged.report
        report.dryRun = false
        let appends = await staged.staging.pending()
        guard !appends.isEmpty else { return report }
        do {
            _ = try await store.appendAtomically(appends)
        } catch let error as EventLogError where error.code == .wrongExpectedVersion || error.code == .duplicateEvent {
            throw BackfillError(
                "\(error.stream.map { "\($0)" } ?? "a record") changed while the import was being checked (someone recorded on it meanwhile); "
                    + "nothing was written; run the import again")
        } catch let error as EventLogError where error.code == .duplicateValue {
            throw BackfillError("\(error.message); nothing was written; fix the rows and run the import again")
        }
        return report
    }

    /// Stages the plan and, unless `dryRun`, commits it.
    public func run(_ plan: BackfillPlan, dryRun: Bool, progress: @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> BackfillReport {
        let staged = try await stage(plan, progress: progress)
        return dryRun ? staged.report : try await commit(staged)
    }

    static func sameDay(_ a: BackfillStep, _ b: BackfillStep) -> Bool {
        (a.stage == .registration) == (b.stage == .registration) && (a.stage == .registration || a.date == b.date)
    }

    // MARK: - One step

    func run(_ step: BackfillStep, with service: TrainingService) async throws -> [RecordedEvent] {
        let provenance = Provenance(source: Self.source, commandID: step.commandID, document: step.document)
        switch step.action {
        case .register(let user, let name, let role):
            // The first user of an empty database signs their own registration.
            let actor = step.signer == user ? Actor(id: user, role: role) : try await signer(of: step, with: service)
            return try await service.register(user, name: name, role: role, by: actor, provenance: provenance)
        case .record(let command, let reference):
            return try await service.record(
                command, on: reference, by: try await signer(of: step, with: service), provenance: provenance,
                overrideReason: step.overrideReason)
        case .correct(let reference, let entry, let changes, let reason, let day):
            let file = try await service.load(reference).file
            guard let original = file.effective.last(where: { $0.id == entry }) else {
                throw BackfillError(
                    file: step.file, line: step.line, field: "entry",
                    "\(reference) has no entry \(entry) in effect on \(step.date) (a correction comes after the row it corrects)")
            }
            let replacement: TrainingEvent
            do {
                replacement = try changes.applied(to: original.event)
            } catch let problem as EntryChanges.Problem {
                throw BackfillError(file: step.file, line: step.line, field: "changes", problem.text)
            }
            return try await service.record(
                .correctEntry(entry: entry, reason: reason, replacement: replacement, on: day), on: reference,
                by: try await signer(of: step, with: service), provenance: provenance, overrideReason: step.overrideReason)
        }
    }

    /// The signer in the role they are registered in.
    func signer(of step: BackfillStep, with service: TrainingService) async throws -> Actor {
        do {
            return try await service.resolve(step.signer)
        } catch let error as DomainError where error.rule == .notAuthorized {
            throw BackfillError(
                file: step.file, line: step.line, field: step.signerField, "\(step.signer) is not a registered user; add them to users.csv")
        } catch let error as DomainError {
            throw BackfillError(file: step.file, line: step.line, field: step.signerField, error.message)
        }
    }

    /// The domain's refusal, placed at the step's row (a date in the future: at its column).
    func explain(_ error: DomainError, at step: BackfillStep) -> BackfillError {
        var field: String?
        if error.rule == .futureDate {
            field = step.document.signedOn > clock.today && step.document.signedOn != step.date ? "document_date" : step.dateField
        }
        return BackfillError(file: step.file, line: step.line, field: field, error.message)
    }
}

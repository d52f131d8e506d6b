/// The decider: `decide(command, state) -> entries` and `evolve(state, entry) -> state`.
/// Pure: no clock, no random ids, no I/O.
public enum TrainingDecider {
    /// Folds one entry into the file.
    public static func evolve(_ file: PersonnelFile, _ entry: Entry) -> PersonnelFile {
        var file = file
        evolve(&file, entry)
        return file
    }

    /// Room for `entries` more entries: the in-effect list grows by one per entry, and field
    /// training, once it starts, takes about half of what is still to come as its daily reports
    /// (so a long history's reports are not rehashed at every doubling).
    public static func reserve(_ file: inout PersonnelFile, entries: Int) {
        file.effective.reserveCapacity(file.effective.count + entries)
    }

    /// In-place fold step. A correction or retraction changes which entries are in effect,
    /// and the facts are folded again from those (corrections are rare; normal entries cost O(1)).
    public static func evolve(_ file: inout PersonnelFile, _ entry: Entry) {
        switch entry.event {
        case .entryCorrected(let correction):
            guard let index = file.effective.firstIndex(where: { $0.id == correction.entry }) else { return }
            let original = file.effective[index]
            file.amended[original.id] = EntryRecord(
                type: original.event.type, occurredOn: original.occurredOn, author: original.actor, status: .corrected(by: entry.id))
            file.effective[index].event = correction.replacement
            // The correction stays in effect as a marker: a DOR acknowledged before it must be
            // acknowledged again, and replaying in order keeps that true however often we refold.
            file.effective.append(entry)
            refold(&file)
        case .entryRetracted(let retraction):
            guard let index = file.effective.firstIndex(where: { $0.id == retraction.entry }) else { return }
            let original = file.effective.remove(at: index)
            file.amended[original.id] = EntryRecord(
                type: original.event.type, occurredOn: original.occurredOn, author: original.actor, status: .retracted(by: entry.id))
            file.effective.append(entry)
            refold(&file)
        default:
            file.effective.append(entry)
            apply(&file, entry)
        }
    }

    private static func refold(_ file: inout PersonnelFile) {
        var fresh = PersonnelFile()
        fresh.amended = file.amended
        fresh.effective = file.effective
        for entry in file.effective { apply(&fresh, entry) }
        file = fresh
    }

    /// Applies one fact.
    static func apply(_ file: inout PersonnelFile, _ entry: Entry) {
        let day = entry.occurredOn
        switch entry.event {
        case .recruitHired(let e):
            file.profile = Profile(trainee: e.trainee, name: e.name, badge: e.badge, hireDate: e.hireDate, agency: e.agency)
        case .academyEnrolled(let e):
            let recycles = file.academy?.recycles ?? 0
            file.academy = AcademyRecord(classNumber: e.classNumber, academy: e.academy, start: e.start, source: e.source, recycles: recycles)
        case .academyTestRecorded(let e):
            file.academy?.attempts[e.test, default: []].append(.init(passed: e.passed, score: e.score, on: day))
        case .academyGraduated(let e):
            file.academy?.graduatedOn = e.date
        case .academyRecycled(let e):
            file.academy?.recycledTo = e.toClass
            file.academy?.recycles += 1
        case .fieldTrainingStarted(let e):
            file.fieldTraining = FieldTrainingRecord(startedOn: e.date, phases: [PhaseRecord(number: 1, startedOn: e.date)])
            file.fieldTraining?.dors.reserveCapacity((file.effective.capacity - file.effective.count) / 2)
        case .ftoAssigned(let e):
            mutatePhase(&file, e.phase) { if !$0.ftos.contains(e.fto) { $0.ftos.append(e.fto) } }
        case .supervisorWeeklyReported(let e):
            file.fieldTraining?.weeklyReports += 1
            let last = file.fieldTraining?.lastWeeklyReport ?? e.weekEnding
            file.fieldTraining?.lastWeeklyReport = max(last, e.weekEnding)
        case .orientationCompleted(let e):
            file.fieldTraining?.orientation = .init(from: e.from, to: e.to)
        case .trainingTaskAcknowledged(let e):
            file.fieldTraining?.taskAcknowledgements[e.task] = day
        case .endOfPhaseReported(let e):
            let report = PhaseReport(
                entry: entry.id, author: e.fto, on: day, ratings: e.ratings, recommendation: e.recommendation, narrative: e.narrative)
            mutatePhase(&file, e.phase) { $0.endOfPhaseReports.append(report) }
        case .phaseEvaluated(let e):
            let report = PhaseReport(
                entry: entry.id, author: e.evaluator, on: day, ratings: e.ratings, recommendation: e.recommendation, narrative: e.narrative)
            mutatePhase(&file, e.phase) { $0.evaluation = report }
        case .basicCertificateAwarded(let e):
            file.ftoQualification.basicCertificate = .init(number: e.certificate, on: e.date)
        case .patrolAssignmentStarted(let e):
            file.ftoQualification.patrolSince = e.date
        case .plausibilityOverridden(let e):
            file.overrides.append(OverrideRecord(entry: e.entry, check: e.check, reason: e.reason, by: entry.actor, on: day))
        case .dailyObservationReported(let e):
            file.fieldTraining?.dors[entry.id] = DORRecord(
                id: entry.id, fto: e.fto, shiftDate: e.shiftDate, phase: e.phase, ratings: e.ratings, narrative: e.narrative)
        case .dailyObservationAcknowledged(let e):
            file.fieldTraining?.dors[e.report]?.acknowledgement = .init(signed: e.signed, note: e.note, on: day)
        case .traineeRebuttalFiled(let e):
            file.fieldTraining?.dors[e.entry]?.rebuttals.append(e.text)
        case .trainingTaskSignedOff(let e):
            file.fieldTraining?.tasks[e.task] = .init(fto: e.fto, on: day)
        case .remedialTrainingAssigned(let e):
            file.fieldTraining?.remedial[entry.id] = RemedialRecord(id: entry.id, category: e.category, assignedOn: day, due: e.due, plan: e.plan)
        case .remedialTrainingCompleted(let e):
            file.fieldTraining?.remedial[e.remedial]?.status = .completed
            file.fieldTraining?.remedial[e.remedial]?.closedOn = day
        case .remedialTrainingFailed(let e):
            file.fieldTraining?.remedial[e.remedial]?.status = .failed
            file.fieldTraining?.remedial[e.remedial]?.closedOn = day
        case .phaseExtended(let e):
            mutatePhase(&file, e.phase) {
                $0.extensions += 1
                $0.extensionWeeks += e.weeks
            }
        case .phaseCompleted(let e):
            mutatePhase(&file, e.phase) {
                $0.completedOn = e.date
                $0.earlyCompletionReason = e.earlyCompletionReason
            }
            if !e.finalPhase { file.fieldTraining?.phases.append(PhaseRecord(number: e.phase + 1, startedOn: e.date)) }
        case .competencyAttested(let e):
            file.fieldTraining?.attestation = .init(fto: e.fto, on: day)
            file.fieldTraining?.attestationStatement = e.statement
        case .soloPatrolCleared(let e):
            let request = file.fieldTraining?.pendingRelease
            file.fieldTraining?.soloClearance = .init(
                on: e.date, concurredBy: e.concurredBy, role: e.concurrerRole, statement: e.releaseStatement, requestedBy: request?.requestedBy,
                requestedOn: request?.on)
            file.fieldTraining?.pendingRelease = nil
        case .soloReleaseRequested(let e):
            file.fieldTraining?.pendingRelease = .init(on: e.date, statement: e.releaseStatement, requestedBy: entry.actor.id)
        case .soloReleaseDeclined:
            file.fieldTraining?.pendingRelease = nil
        case .probationStarted(let e):
            file.probation = ProbationRecord(start: e.start, end: e.end)
        case .probationReviewed(let e):
            file.probation?.reviews.append(.init(interval: e.interval, outcome: e.outcome, notes: e.notes, on: day))
        case .probationExtended(let e):
            if let end = file.probation?.end {
                file.probation?.extensions.append(.init(previousEnd: end, newEnd: e.newEnd, reason: e.reason, recordedOn: day))
            }
            file.probation?.end = e.newEnd
        case .probationCompleted(let e):
            file.probation?.completedOn = e.date
        case .courseCompleted(let e):
            file.coursework[e.courseType, default: []].append(
                CourseRecord(
                    entry: entry.id, title: e.title, hours: e.hours, provider: e.provider, instructor: e.instructor,
                    completedOn: e.completedOn, certificateReference: e.certificateReference))
            file.coursework[e.courseType]?.sort { $0.completedOn < $1.completedOn }
        case .ftoQualified(let e):
            file.ftoQualification.qualifiedOn = e.courseDate
        case .ftoUpdateCompleted(let e):
            file.ftoQualification.updates.append(e.date)
        case .ftoTrainingProhibited(let e):
            file.ftoQualification.prohibitions.append(.init(from: e.from, until: e.until, reason: e.reason))
        case .separated(let e):
            file.separation = SeparationRecord(kind: e.kind, reason: e.reason, on: e.date, stageAtSeparation: file.stage)
        case .entryCorrected(let e):
            if file.fieldTraining?.dors[e.entry] != nil {
                file.fieldTraining?.dors[e.entry]?.acknowledgement = nil
                file.fieldTraining?.dors[e.entry]?.amended = true
            }
        case .unreadable(let e):
            file.unreadable[entry.id] = e
        case .unreadableEntryResolved(let e):
            file.unreadable[e.entry] = nil
        case .entryRetracted, .trainingPolicyAdopted, .userRegistered, .userDisabled, .userEnabled, .userRoleChanged, .coordinatorAppointed:
            break
        }
    }

    private static func mutatePhase(_ file: inout PersonnelFile, _ number: Int, _ change: (inout PhaseRecord) -> Void) {
        guard let index = file.fieldTraining?.phases.firstIndex(where: { $0.number == number }) else { return }
        change(&file.fieldTraining!.phases[index])
    }
}

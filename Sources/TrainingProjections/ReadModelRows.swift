public import TrainingDomain

/// One `muster.trainee_status` row.
public struct TraineeStatusRow: Hashable, Sendable {
    public var traineeID: String
    public var agency: String
    public var name: String
    public var badge: String
    public var stage: String
    public var hiredOn: Day
    public var academyClass: String?
    public var phase: Int?
    public var phaseStartedOn: Day?
    public var phaseMinimumEndOn: Day?
    public var ftos: [String]
    public var lastDOROn: Day?
    public var dorCount: Int
    public var openRemedial: Int
    public var openRemedialDetail: String?
    public var earliestRemedialDueOn: Day?
    /// Every solo gate that can fail, as the domain's ``SoloOutlook`` has it.
    public var soloGates: [GateTimeline]
    public var expectedSolo: ExpectedDate?
    public var soloClearedOn: Day?
    public var probationEndOn: Day?
    public var separatedKind: String?
    /// Entries on file nobody can read, awaiting an operator's decision.
    public var attention: [String]
}

/// One `muster.coursework_currency` row.
public struct CourseworkRow: Hashable, Sendable {
    public var personStream: String
    public var personName: String
    public var courseType: String
    public var completions: Int
    public var lastCompletedOn: Day?
    public var expiresOn: Day?
    public var warningDays: Int
}

/// Pure: the rows a personnel file contributes. Dated facts only (no "today"): what depends on
/// the day is stored as the domain's windows and expected dates, which queries judge against
/// the current date, so rows stay right as time passes.
public enum ReadModelRows {
    public static func traineeStatus(_ file: PersonnelFile, trainee: String, policy: TrainingPolicy) -> TraineeStatusRow? {
        guard let profile = file.profile else { return nil }
        let training = file.fieldTraining
        let phase = training?.currentPhase
        let phaseMinimum = phase.map { current in
            current.startedOn.adding(days: ((policy.fieldTraining.phase(current.number)?.minimumWeeks ?? 0) + current.extensionWeeks) * 7)
        }
        let outlook = Readiness.outlook(file, policy: policy)
        let open = training?.openRemedial ?? []
        return TraineeStatusRow(
            traineeID: trainee, agency: profile.agency.rawValue, name: profile.name, badge: profile.badge,
            stage: file.stage.rawValue, hiredOn: profile.hireDate, academyClass: file.academy?.classNumber, phase: phase?.number,
            phaseStartedOn: phase?.startedOn, phaseMinimumEndOn: phaseMinimum, ftos: phase?.ftos.map(\.rawValue) ?? [],
            lastDOROn: training?.dorsInOrder.last?.shiftDate, dorCount: training?.dors.count ?? 0, openRemedial: open.count,
            openRemedialDetail: open.isEmpty ? nil : open.map { "\($0.category) (due \($0.due))" }.joined(separator: "; "),
            earliestRemedialDueOn: open.map(\.due).min(),
            soloGates: training == nil ? [] : outlook.gates.filter { $0.failing != nil },
            expectedSolo: outlook.expected,
            soloClearedOn: training?.soloClearance?.on,
            probationEndOn: file.probation?.completedOn == nil ? file.probation?.end : nil,
            separatedKind: file.separation?.kind.rawValue,
            attention: file.unreadable.values.sorted { $0.version < $1.version }.map(\.summary))
    }

    /// Coursework rows for every course type in the policy (never-completed ones included) for
    /// recruits past the academy, and for officers with any coursework or FTO record.
    public static func coursework(_ file: PersonnelFile, stream: String, name: String, policy: TrainingPolicy) -> [CourseworkRow] {
        guard file.separation == nil else { return [] }
        // Refresher coursework starts after the academy, which teaches these subjects itself.
        if file.profile != nil && file.academy?.graduatedOn == nil { return [] }
        let isPerson = file.profile != nil || !file.coursework.isEmpty || file.ftoQualification.qualifiedOn != nil
        guard isPerson else { return [] }
        return policy.courses.map { course in
            let completions = file.coursework[course.type] ?? []
            let last = completions.map(\.completedOn).max()
            return CourseworkRow(
                personStream: stream, personName: file.profile?.name ?? name, courseType: course.type.rawValue,
                completions: completions.count, lastCompletedOn: last, expiresOn: last?.adding(months: course.validityMonths),
                warningDays: course.warningDays)
        }
    }
}

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
    // When each stage began, and how the recruit left (the forecast's history).
    public var academyStartedOn: Day?
    public var academyGraduatedOn: Day?
    public var fieldTrainingStartedOn: Day?
    public var separatedOn: Day?
    public var separatedStage: String?
    /// The current phase's Phase Evaluation Report, when filed.
    public var phaseEvaluatedOn: Day?
    /// DORs the trainee has not acknowledged (amended ones included), and the oldest shift among them.
    public var unsignedDORs: Int
    public var unsignedAmendedDORs: Int
    public var oldestUnsignedDOROn: Day?
    /// The first probation review interval (months) not yet recorded, and when it is due.
    public var nextReviewInterval: Int?
    public var nextReviewDueOn: Day?
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

/// One `muster.fto_qualification` row: an FTO's next 24-hour update.
public struct FTOQualificationRow: Hashable, Sendable {
    public var personStream: String
    public var personName: String
    public var qualifiedOn: Day
    public var lastUpdateOn: Day?
    /// After this day the FTO may not rate until the update is recorded.
    public var updateDueOn: Day
}

/// One `muster.category_trends` row: a category's ratings across one phase.
public struct CategoryTrendRow: Hashable, Sendable {
    public var traineeID: String
    /// The category's place on the tracking sheet (the policy's order).
    public var position: Int
    public var trend: CategoryTrend
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
        let open = (training?.openRemedial ?? []).sorted { ($0.assignedOn, $0.due, $0.category, $0.id) < ($1.assignedOn, $1.due, $1.category, $1.id) }
        let active = file.separation == nil
        let unsigned = active ? (training?.dorsInOrder ?? []).filter { $0.acknowledgement == nil } : []
        let review = active ? nextReview(file, policy: policy) : nil
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
            attention: file.unreadable.values.sorted { $0.version < $1.version }.map(\.summary),
            academyStartedOn: file.academy?.start, academyGraduatedOn: file.academy?.graduatedOn, fieldTrainingStartedOn: training?.startedOn,
            separatedOn: file.separation?.on, separatedStage: file.separation?.stageAtSeparation.rawValue,
            phaseEvaluatedOn: phase?.evaluation?.on, unsignedDORs: unsigned.count, unsignedAmendedDORs: unsigned.count(where: \.amended),
            oldestUnsignedDOROn: unsigned.first?.shiftDate, nextReviewInterval: review?.interval, nextReviewDueOn: review?.due)
    }

    /// The first review interval of a running probation with no review recorded, and its due day.
    static func nextReview(_ file: PersonnelFile, policy: TrainingPolicy) -> (interval: Int, due: Day)? {
        guard let probation = file.probation, probation.completedOn == nil else { return nil }
        let recorded = Set(probation.reviews.map(\.interval))
        guard let interval = Readiness.reviewsDue(probation, policy: policy, through: probation.end).first(where: { !recorded.contains($0) }) else {
            return nil
        }
        return (interval, probation.start.adding(months: interval))
    }

    /// Coursework rows for every course type the person must hold (never-completed ones
    /// included): recruits past the academy and officers with any record hold every course in
    /// the policy; academy recruits hold those the policy requires during the academy
    /// (refreshers otherwise start after it, since the academy teaches the subjects itself); a
    /// hire not yet enrolled holds none yet.
    public static func coursework(_ file: PersonnelFile, stream: String, name: String, policy: TrainingPolicy) -> [CourseworkRow] {
        guard file.separation == nil else { return [] }
        let qualification = file.ftoQualification
        let isPerson =
            file.profile != nil || !file.coursework.isEmpty || qualification.qualifiedOn != nil || qualification.basicCertificate != nil
            || qualification.patrolSince != nil || !qualification.updates.isEmpty || !qualification.prohibitions.isEmpty
        guard isPerson else { return [] }
        let courses: [CoursePolicy]
        switch file.stage {
        case .hired: courses = []
        case .academy: courses = policy.courses.filter(\.requiredDuringAcademy)
        default: courses = policy.courses
        }
        return courses.map { course in
            let completions = file.coursework[course.type] ?? []
            let last = completions.map(\.completedOn).max()
            return CourseworkRow(
                personStream: stream, personName: file.profile?.name ?? name, courseType: course.type.rawValue,
                completions: completions.count, lastCompletedOn: last, expiresOn: last?.adding(months: course.validityMonths),
                warningDays: course.warningDays)
        }
    }

    /// The FTO's next update, for anyone qualified as an FTO who has not separated.
    public static func ftoQualification(_ file: PersonnelFile, stream: String, name: String, policy: TrainingPolicy) -> FTOQualificationRow? {
        let qualification = file.ftoQualification
        guard file.separation == nil, let qualified = qualification.qualifiedOn,
            // Every update on file counts (none can be dated after the day it is recorded).
            let due = qualification.updateDue(on: max(qualified, qualification.updates.max() ?? qualified), everyMonths: policy.ftoUpdateEveryMonths)
        else { return nil }
        return FTOQualificationRow(
            personStream: stream, personName: file.profile?.name ?? name, qualifiedOn: qualified, lastUpdateOn: qualification.updates.max(),
            updateDueOn: due)
    }

    /// Each category's trend in each phase with DORs (the tracking sheet).
    public static func categoryTrends(_ file: PersonnelFile, trainee: String, policy: TrainingPolicy) -> [CategoryTrendRow] {
        guard let training = file.fieldTraining else { return [] }
        var position: [Int: Int] = [:]
        return CategoryTrend.trends(training, policy: policy.fieldTraining).map { trend in
            defer { position[trend.phase, default: 0] += 1 }
            return CategoryTrendRow(traineeID: trainee, position: position[trend.phase, default: 0], trend: trend)
        }
    }
}

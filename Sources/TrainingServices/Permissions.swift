public import TrainingDomain

/// Who may do what: the one role × action table every front end asks before it acts.
///
/// The table gates each action by role; the domain still decides every command itself (the
/// FTO who files a DOR must be that FTO, a manager registers only lower ranks, nobody records on
/// their own record). A refusal by either is a refusal. Reads have no decider, so for them this
/// table is the whole rule. `own` means the action is allowed only on the user's own record (a
/// trainee reads and acknowledges their own file, as Gov. Code 3306.5 lets them).
public enum Permissions {
    /// How far a role may take an action.
    public enum Access: String, Sendable, Hashable, Comparable {
        case none, own, any

        var rank: Int {
            switch self {
            case .none: 0
            case .own: 1
            case .any: 2
            }
        }

        public static func < (lhs: Access, rhs: Access) -> Bool { lhs.rank < rhs.rank }
    }

    /// Everything the API offers, named once. The raw value is what logs and problems show.
    public enum Action: String, Sendable, Hashable, CaseIterable {
        // Boards (aggregates, no one person's record)
        case boardPipeline = "board.pipeline"
        case boardReadiness = "board.readiness"
        case boardExpiring = "board.expiring"
        case boardForecast = "board.forecast"
        case boardQueue = "board.queue"
        case boardFTOWorkload = "board.fto-workload"
        case projectionStatus = "projections.status"
        case readStatewide = "statewide.read"
        // A person's record (every read is logged in the access log)
        case readTrainee = "record.trainee"
        case readHistory = "record.history"
        case readStatus = "record.status"
        case readDORs = "record.dors"
        case readExport = "record.export"
        // Compliance
        case auditVerify = "audit.verify"
        case auditSeal = "audit.seal"
        case accessLogRead = "access.read"
        case accessLogVerify = "access.verify"
        // Users and accounts
        case policyShow = "policy.show"
        case policyAdopt = "policy.adopt"
        case usersList = "users.list"
        case userRegister = "users.register"
        case userInvite = "users.invite"
        case userDisable = "users.disable"
        case userEnable = "users.enable"
        case userChangeRole = "users.role"
        // Recording (one per command)
        case hireRecruit = "record.hire"
        case enrollInAcademy = "record.academy.enroll"
        case recordAcademyTest = "record.academy.test"
        case graduateAcademy = "record.academy.graduate"
        case recycleAcademy = "record.academy.recycle"
        case startFieldTraining = "record.ft.start"
        case assignFTO = "record.ft.assign-fto"
        case reportSupervisorWeekly = "record.ft.weekly"
        case recordOrientation = "record.ft.orientation"
        case acknowledgeTask = "record.ft.ack-task"
        case reportEndOfPhase = "record.ft.end-of-phase"
        case evaluatePhase = "record.ft.evaluate-phase"
        case fileDailyObservation = "record.ft.dor"
        case acknowledgeDailyObservation = "record.ft.ack"
        case fileRebuttal = "record.ft.rebut"
        case signOffTask = "record.ft.task"
        case assignRemedial = "record.ft.remedial.assign"
        case completeRemedial = "record.ft.remedial.complete"
        case failRemedial = "record.ft.remedial.fail"
        case extendPhase = "record.ft.extend-phase"
        case completePhase = "record.ft.complete-phase"
        case attestCompetency = "record.ft.attest"
        case requestSoloRelease = "record.ft.request-release"
        case concurInSoloRelease = "record.ft.concur"
        case declineSoloRelease = "record.ft.decline"
        case startProbation = "record.probation.start"
        case reviewProbation = "record.probation.review"
        case extendProbation = "record.probation.extend"
        case completeProbation = "record.probation.complete"
        case recordCourse = "record.course"
        case qualifyFTO = "record.fto.qualify"
        case recordFTOUpdate = "record.fto.update"
        case prohibitFTO = "record.fto.prohibit"
        case awardBasicCertificate = "record.fto.certificate"
        case startPatrolAssignment = "record.fto.patrol"
        case separate = "record.separate"
        case retractEntry = "record.retract"
        case correctEntry = "record.correct"
        case resolveUnreadable = "record.resolve-unreadable"
    }

    static let administrators: Set<Role> = [.trainingSergeant, .commandStaff, .chiefDesignee, .chief]
    static let commanders: Set<Role> = [.commandStaff, .chiefDesignee, .chief]
    static let recordReaders: Set<Role> = administrators.union([.fto, .complianceReviewer])
    static let authors: Set<Role> = administrators.union([.fto, .academyInstructor, .trainee])

    /// The table: for each action, the roles allowed on any record, and those allowed on their own.
    static let table: [Action: (any: Set<Role>, own: Set<Role>)] = [
        .boardPipeline: (administrators.union([.complianceReviewer]), []),
        .boardReadiness: (administrators.union([.complianceReviewer]), []),
        .boardExpiring: (administrators.union([.complianceReviewer]), []),
        .boardForecast: (commanders.union([.trainingSergeant]), []),
        .boardQueue: (administrators, []),
        .boardFTOWorkload: (administrators, []),
        .projectionStatus: (commanders.union([.systemAdministrator]), []),
        .readStatewide: (commanders.union([.complianceReviewer]), []),
        .readTrainee: (recordReaders, [.trainee]),
        .readHistory: (administrators.union([.complianceReviewer]), [.trainee]),
        .readStatus: (administrators.union([.complianceReviewer]), [.trainee]),
        .readDORs: (recordReaders, [.trainee]),
        .readExport: ([.complianceReviewer, .chief], [.trainee]),
        .auditVerify: ([.complianceReviewer, .systemAdministrator, .chief], []),
        .auditSeal: ([.systemAdministrator], []),
        .accessLogRead: ([.complianceReviewer], []),
        .accessLogVerify: ([.complianceReviewer], []),
        .policyShow: (Set(Role.allCases), []),
        .policyAdopt: (commanders, []),
        .usersList: (administrators.union([.systemAdministrator, .complianceReviewer]), []),
        .userRegister: (administrators, []),
        .userInvite: (administrators, []),
        .userDisable: (administrators, []),
        .userEnable: (administrators, []),
        .userChangeRole: (administrators, []),
        .hireRecruit: (administrators, []),
        .enrollInAcademy: (administrators, []),
        .recordAcademyTest: ([.academyInstructor, .trainingSergeant], []),
        .graduateAcademy: (administrators, []),
        .recycleAcademy: (administrators, []),
        .startFieldTraining: (administrators, []),
        .assignFTO: (administrators, []),
        .reportSupervisorWeekly: (administrators, []),
        .recordOrientation: (administrators, []),
        .acknowledgeTask: ([], [.trainee]),
        .reportEndOfPhase: ([.fto], []),
        .evaluatePhase: ([.fto, .trainingSergeant], []),
        .fileDailyObservation: ([.fto], []),
        .acknowledgeDailyObservation: ([.fto, .trainingSergeant], [.trainee]),
        .fileRebuttal: ([], [.trainee]),
        .signOffTask: ([.fto], []),
        .assignRemedial: (administrators.union([.fto]), []),
        .completeRemedial: (administrators.union([.fto]), []),
        .failRemedial: (administrators.union([.fto]), []),
        .extendPhase: ([.trainingSergeant], []),
        .completePhase: ([.trainingSergeant], []),
        .attestCompetency: ([.fto], []),
        .requestSoloRelease: ([.trainingSergeant], []),
        .concurInSoloRelease: ([.chief, .chiefDesignee], []),
        .declineSoloRelease: ([.chief, .chiefDesignee], []),
        .startProbation: (administrators, []),
        .reviewProbation: (administrators, []),
        .extendProbation: (administrators, []),
        .completeProbation: (administrators, []),
        .recordCourse: (administrators, []),
        .qualifyFTO: (administrators, []),
        .recordFTOUpdate: (administrators, []),
        .prohibitFTO: (administrators, []),
        .awardBasicCertificate: (administrators, []),
        .startPatrolAssignment: (administrators, []),
        .separate: (administrators, []),
        .retractEntry: (authors, []),
        .correctEntry: (authors, []),
        .resolveUnreadable: ([.systemAdministrator], []),
    ]

    /// The acts that are signatures: they need the signer's own session (never a token) and a
    /// fresh re-entry of the password or second factor.
    public static let signatures: Set<Action> = [
        .fileDailyObservation, .acknowledgeDailyObservation, .attestCompetency, .concurInSoloRelease, .declineSoloRelease,
        .completePhase, .requestSoloRelease, .acknowledgeTask, .reportEndOfPhase, .evaluatePhase,
    ]

    /// How far `role` may take `action`.
    public static func access(_ role: Role, _ action: Action) -> Access {
        guard let entry = table[action] else { return .none }
        if entry.any.contains(role) { return .any }
        if entry.own.contains(role) { return .own }
        return .none
    }

    /// How far someone acting as `role` through a credential limited to `ceiling` may take
    /// `action`: the lesser of the two (a token never does more than its ceiling, nor more than
    /// its user).
    public static func access(_ role: Role, ceiling: Role?, _ action: Action) -> Access {
        let own = access(role, action)
        guard let ceiling else { return own }
        return min(own, access(ceiling, action))
    }

    /// Whether `role` (limited by `ceiling`) may take `action` on the record of `person`, being `user`.
    public static func allows(_ role: Role, ceiling: Role? = nil, _ action: Action, user: OfficerID, person: String?) -> Bool {
        switch access(role, ceiling: ceiling, action) {
        case .any: true
        case .own: person == user.rawValue
        case .none: false
        }
    }

    /// The roles that may take `action` at all, for messages ("that takes a …").
    public static func roles(for action: Action) -> [Role] {
        Role.allCases.filter { access($0, action) != .none }
    }

    /// Whether every action has a row (a test asks; a route without one would refuse everyone).
    public static var everyActionHasARow: Bool { Action.allCases.allSatisfy { table[$0] != nil } }
}

extension TrainingPolicy {
    /// Shaped like Pasadena PD's program under POST Regulation 1004: a 26-week outside academy;
    /// a week of orientation, then four field training phases (about five months) rated on the
    /// 1–7 scale against the guidelines below; one-year probation after solo release (at most
    /// two years with extensions); yearly use-of-force and two-yearly implicit-bias refreshers
    /// with a 90-day warning; FTOs with a Basic Certificate, a year of patrol, the 40-hour
    /// course and the update every three years.
    public static let pasadenaDefault = TrainingPolicy(
        name: "Pasadena PD field training program (default)",
        academy: AcademyPolicy(
            lengthWeeks: 26, retestsAllowed: 1,
            requiredTests: [
                AcademyTestKey(domain: "LD 1", test: "written"), AcademyTestKey(domain: "LD 3", test: "written"),
                AcademyTestKey(domain: "LD 20", test: "written"), AcademyTestKey(domain: "LD 20", test: "scenario"),
                AcademyTestKey(domain: "LD 33", test: "skills"), AcademyTestKey(domain: "LD 35", test: "qualification"),
                AcademyTestKey(domain: "LD 42", test: "written"),
            ],
            optionalTests: [AcademyTestKey(domain: "LD 35", test: "written"), AcademyTestKey(domain: "LD 33", test: "written")],
            passingScore: 70),
        fieldTraining: FieldTrainingPolicy(
            program: .fieldTrainingProgram, orientationWeeks: 1,
            phases: [
                PhasePolicy(number: 1, name: "Phase 1 (FTO #1)", minimumWeeks: 6),
                PhasePolicy(number: 2, name: "Phase 2 (FTO #2)", minimumWeeks: 6),
                PhasePolicy(number: 3, name: "Phase 3 (FTO #3)", minimumWeeks: 6),
                PhasePolicy(number: 4, name: "Phase 4 (final evaluation, FTO #1)", minimumWeeks: 4),
            ],
            maximumExtensionsPerPhase: 2,
            categories: standardCategories.map(\.0), ratingScale: .oneToSeven,
            guidelines: Dictionary(uniqueKeysWithValues: standardCategories.map { ($0.0, $0.1) }),
            narrativeRequiredBelow: 4, narrativeRequiredAbove: 5, everyCategoryRated: true, soloClearanceRecentDORs: 10, acceptableRating: 4,
            checklist: standardChecklist, traineeAcknowledgesTasks: true, phaseEvaluationRequired: true,
            requiredCoursesForSolo: ["use_of_force", "implicit_bias"]),
        probation: ProbationPolicy(months: 12, reviewIntervalMonths: 3, startsAt: .soloClearance, warningDays: 60, maximumMonths: 24),
        courses: [
            CoursePolicy(
                type: "use_of_force", title: "Use of force and de-escalation refresher", validityMonths: 12, warningDays: 90,
                requiresInstructor: false, minimumHours: 4),
            CoursePolicy(
                type: "implicit_bias", title: "Racial and identity profiling / implicit bias refresher", validityMonths: 24,
                warningDays: 90, requiresInstructor: true, minimumHours: 2),
        ],
        ftoUpdateEveryMonths: 36,
        ftoEligibility: .post,
        plausibility: PlausibilityPolicy(
            // The City of Pasadena incorporated on 1886-06-19; no officer was hired before it.
            agencyFoundedOn: Day("1886-06-19"), academyStartMaximumMonthsAhead: 12,
            overridable: [.academyFarAhead, .passWithFailingScore, .duplicateReview]),
        forecast: ForecastPolicy(minimumOutcomes: 10, yieldFloorPercent: 50))

    /// The checklist, grouped like the competency sections of POST's FTP Guide (volume 2).
    static let standardChecklist: [ChecklistSection] = [
        ChecklistSection(
            name: "Patrol procedures",
            tasks: [
                ChecklistTask(id: "felony_vehicle_stop", title: "Felony (high-risk) vehicle stop"),
                ChecklistTask(id: "building_search", title: "Building search with a cover officer", required: false),
            ]),
        ChecklistSection(
            name: "Traffic",
            tasks: [
                ChecklistTask(id: "traffic_collision", title: "Traffic collision investigation and report"),
                ChecklistTask(id: "dui_arrest", title: "DUI investigation and arrest"),
            ]),
        ChecklistSection(
            name: "Investigations and evidence",
            tasks: [
                ChecklistTask(id: "evidence_booking", title: "Evidence collection and booking"),
                ChecklistTask(id: "death_investigation", title: "Death investigation (scene security and notifications)"),
            ]),
        ChecklistSection(
            name: "Tactical communication and conflict resolution",
            tasks: [ChecklistTask(id: "domestic_violence_call", title: "Domestic violence call (PC 13700 report, EPO)")]),
        ChecklistSection(
            name: "Persons with mental illness or intellectual disability (PC 13515.295)",
            tasks: [ChecklistTask(id: "mental_health_call", title: "Mental health call (5150 evaluation or referral)")]),
        ChecklistSection(
            name: "Use of force",
            tasks: [ChecklistTask(id: "use_of_force_report", title: "Use of force report reviewed with a supervisor", required: false)]),
    ]

    /// The evaluation categories and their guidelines: what 1 (unacceptable), 4 (acceptable: able
    /// to work alone) and 7 (superior) look like. Written for this product after the pattern
    /// of the San Jose model's guidelines; an agency adopts its own text.
    static let standardCategories: [(Category, EvaluationGuideline)] = [
        guide(
            "driving_normal", "Driving under normal conditions",
            "Drives carelessly or illegally; loses control or ignores traffic laws.",
            "Drives safely and lawfully while watching the beat and the radio.",
            "Drives smoothly and defensively while fully attentive to patrol."),
        guide(
            "driving_stress", "Driving under stress (code 3, pursuit)",
            "Drives too fast for conditions, ignores policy, endangers the public.",
            "Keeps control and follows pursuit and code 3 policy under stress.",
            "Drives with full control and judgement in every emergency response."),
        guide(
            "orientation_response_time", "Orientation and response time",
            "Gets lost; cannot find calls or relate a location to the beat map.",
            "Finds calls in a reasonable time using the map and knowledge of the beat.",
            "Knows the area; takes the fastest safe route without a map."),
        guide(
            "report_writing", "Report writing",
            "Reports are missing, incomplete, inaccurate or illegible.",
            "Reports are complete, accurate, organised and turned in on time.",
            "Reports are thorough and concise; need no correction."),
        guide(
            "field_performance_non_stress", "Field performance: routine situations",
            "Confused and indecisive on routine calls; needs the FTO to take over.",
            "Handles routine calls to completion with sound, lawful decisions.",
            "Handles routine calls efficiently and anticipates what comes next."),
        guide(
            "field_performance_stress", "Field performance: stressful situations",
            "Panics, freezes or overreacts; loses control of the scene.",
            "Stays calm, keeps control and takes the right action under stress.",
            "Takes charge decisively and calms others in critical incidents."),
        guide(
            "investigative_procedures", "Investigative procedures",
            "Misses evidence and witnesses; draws conclusions without facts.",
            "Conducts a complete preliminary investigation and preserves evidence.",
            "Develops leads and evidence beyond the obvious; thorough and methodical."),
        guide(
            "officer_safety", "Officer safety",
            "Exposes self, partner or public to danger; poor positioning and awareness.",
            "Keeps tactical awareness, cover and positioning on every contact.",
            "Models officer safety; anticipates danger and positions to control it."),
        guide(
            "control_of_conflict_voice", "Control of conflict: voice command",
            "Cannot gain compliance by voice; escalates with words or tone.",
            "Uses clear commands and de-escalation to gain compliance.",
            "Resolves conflict by communication alone in most encounters."),
        guide(
            "control_of_conflict_physical", "Control of conflict: physical skill",
            "Uses too much or too little force; poor control techniques.",
            "Uses reasonable force, within policy and law, with proper technique.",
            "Controls subjects with minimal force and excellent technique."),
        guide(
            "problem_solving_decision_making", "Problem solving and decision making",
            "Acts without thinking or cannot decide; decisions are unreasonable.",
            "Makes reasonable, lawful decisions based on the facts available.",
            "Makes sound decisions quickly and foresees their consequences."),
        guide(
            "radio_use", "Radio: listening and articulation",
            "Misses calls and transmissions; radio traffic is confusing.",
            "Hears and acknowledges traffic; transmits clearly and by procedure.",
            "Monitors all traffic while busy; transmissions are concise and precise."),
        guide(
            "self_initiated_activity", "Self-initiated activity",
            "Does not see or avoids activity; waits to be dispatched.",
            "Recognises and acts on suspicious activity and violations.",
            "Generates quality self-initiated activity consistently."),
        guide(
            "knowledge_of_law_and_policy", "Knowledge of law and department policy",
            "Does not know or misapplies law and policy in the field.",
            "Knows and applies the law and department policy correctly.",
            "Applies complex law and policy with a thorough understanding."),
        guide(
            "relationships_public", "Relationships with the public",
            "Abrupt, biased or discourteous; escalates contacts.",
            "Treats everyone with respect and fairness; explains actions.",
            "Builds trust with every community; resolves complaints in the field."),
        guide(
            "relationships_colleagues", "Relationships with colleagues",
            "Causes friction; does not cooperate with others.",
            "Works well with colleagues, dispatch and supervisors.",
            "Sought out by colleagues; a model of teamwork."),
        guide(
            "acceptance_of_feedback", "Acceptance of feedback",
            "Argues, makes excuses or ignores feedback.",
            "Accepts feedback and uses it to improve.",
            "Seeks feedback and improves on it immediately."),
        guide(
            "attitude", "Attitude toward police work",
            "Shows no interest or a poor attitude toward the work.",
            "Shows interest and commitment to the job and the community.",
            "Highly motivated; uses free time to learn the job."),
        guide(
            "appearance", "General appearance",
            "Uniform and equipment are dirty or out of regulation.",
            "Neat, clean and in regulation uniform and equipment.",
            "Exemplary appearance; a model for others."),
    ]

    private static func guide(_ id: String, _ summary: String, _ one: String, _ four: String, _ seven: String) -> (
        Category, EvaluationGuideline
    ) {
        (Category(id), EvaluationGuideline(summary: summary, anchors: [1: one, 4: four, 7: seven]))
    }
}

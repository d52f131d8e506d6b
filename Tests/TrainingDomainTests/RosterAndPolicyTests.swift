import Testing
import TrainingDomain

/// A decision on the roster: the registrations already made, then one more that a rule refuses.
struct RosterRuleCase: CustomTestStringConvertible, Sendable {
    var name: String
    var given: [(RosterCommand, Actor)]
    var command: RosterCommand
    var actor: Actor
    var rule: DomainError.Rule
    var mentions: [String]
    var testDescription: String { name }
}

let chief = Actor(id: OfficerID("chief.perez"), role: .chief)
let sergeant = Actor(id: OfficerID("sgt.okafor"), role: .trainingSergeant)
let commander = Actor(id: OfficerID("lt.moss"), role: .commandStaff)
let fto = Actor(id: OfficerID("fto.ramos"), role: .fto)
let founded: [(RosterCommand, Actor)] = [
    (.register(user: chief.id, name: "Chief Perez", role: .chief), chief),
    (.register(user: sergeant.id, name: "Sgt. Okafor", role: .trainingSergeant), chief),
    (.register(user: commander.id, name: "Lt. Moss", role: .commandStaff), chief),
    (.register(user: fto.id, name: "Ofc. Ramos", role: .fto), sergeant),
]

let rosterRuleCases: [RosterRuleCase] = [
    RosterRuleCase(
        name: "only a registered user is disabled", given: founded, command: .disable(user: OfficerID("nobody"), reason: "Left"),
        actor: chief, rule: .unknownUser, mentions: ["no user nobody is registered"]),
    RosterRuleCase(
        name: "a user is disabled once", given: founded + [(.disable(user: fto.id, reason: "Left the agency"), sergeant)],
        command: .disable(user: fto.id, reason: "Again"), actor: sergeant, rule: .userDisabled, mentions: ["already disabled"]),
    RosterRuleCase(
        name: "a sergeant cannot disable the chief", given: founded, command: .disable(user: chief.id, reason: "Coup"), actor: sergeant,
        rule: .notAuthorized, mentions: ["may not disable a chief"]),
    RosterRuleCase(
        name: "nobody changes their own role", given: founded,
        command: .changeRole(user: sergeant.id, role: .commandStaff, reason: "Promoted myself"),
        actor: sergeant, rule: .ownRecord, mentions: ["cannot change their own role"]),
    RosterRuleCase(
        name: "a sergeant cannot make a chief", given: founded, command: .changeRole(user: fto.id, role: .chief, reason: "x"), actor: sergeant,
        rule: .notAuthorized, mentions: ["may not make someone a chief"]),
    RosterRuleCase(
        name: "a disabled manager adds nobody", given: founded + [(.disable(user: sergeant.id, reason: "On leave"), chief)],
        command: .register(user: OfficerID("fto.new"), name: "New", role: .fto), actor: sergeant, rule: .notAuthorized,
        mentions: ["is not a registered training sergeant"]),
    RosterRuleCase(
        name: "the first user is the chief or command staff", given: [], command: .register(user: fto.id, name: "Ofc. Ramos", role: .fto),
        actor: fto, rule: .notAuthorized, mentions: ["first user must be the chief or command staff"]),
    RosterRuleCase(
        name: "the first user registers themself", given: [], command: .register(user: chief.id, name: "Chief Perez", role: .chief),
        actor: sergeant, rule: .notAuthorized, mentions: ["registers themself"]),
    RosterRuleCase(
        name: "a sergeant cannot register a chief", given: founded, command: .register(user: OfficerID("chief.two"), name: "X", role: .chief),
        actor: sergeant, rule: .notAuthorized, mentions: ["may not register a chief"]),
    RosterRuleCase(
        name: "a sergeant cannot register command staff", given: founded,
        command: .register(user: OfficerID("capt.x"), name: "X", role: .commandStaff), actor: sergeant, rule: .notAuthorized,
        mentions: ["may not register a command staff"]),
    RosterRuleCase(
        name: "a sergeant cannot register the compliance reviewers who audit the training staff", given: founded,
        command: .register(user: OfficerID("audit.x"), name: "X", role: .complianceReviewer), actor: sergeant, rule: .notAuthorized,
        mentions: ["may not register a compliance reviewer"]),
    RosterRuleCase(
        name: "an FTO does not add users", given: founded, command: .register(user: OfficerID("t-9"), name: "X", role: .trainee),
        actor: fto, rule: .notAuthorized, mentions: ["may not add users"]),
    RosterRuleCase(
        name: "only registered users add users", given: founded, command: .register(user: OfficerID("t-9"), name: "X", role: .trainee),
        actor: Actor(id: OfficerID("sgt.ghost"), role: .trainingSergeant), rule: .notAuthorized, mentions: ["is not a registered training sergeant"]),
    RosterRuleCase(
        name: "a user is registered once", given: founded, command: .register(user: fto.id, name: "Again", role: .fto), actor: sergeant,
        rule: .alreadyRegistered, mentions: ["already registered (as fto"]),
    RosterRuleCase(
        name: "user ids are safe in names and addresses", given: founded, command: .register(user: OfficerID("../etc"), name: "X", role: .fto),
        actor: sergeant, rule: .invalidInput, mentions: ["letters, digits and . _ : -"]),
    RosterRuleCase(
        name: "the department head appoints the program's coordinator", given: founded,
        command: .appointCoordinator(user: sergeant.id, effective: Day("2026-01-05")!), actor: commander, rule: .notAuthorized,
        mentions: ["may not appoint the program's coordinator; the department head does"]),
    RosterRuleCase(
        name: "the coordinator supervises the program: a sergeant or higher", given: founded,
        command: .appointCoordinator(user: fto.id, effective: Day("2026-01-05")!), actor: chief, rule: .invalidInput,
        mentions: ["appoint a training sergeant or higher, not a fto"]),
    RosterRuleCase(
        name: "the coordinator is a registered user", given: founded,
        command: .appointCoordinator(user: OfficerID("sgt.nobody"), effective: Day("2026-01-05")!), actor: chief, rule: .unknownUser,
        mentions: ["no user sgt.nobody"]),
]

struct PolicyRuleCase: CustomTestStringConvertible, Sendable {
    var name: String
    var policy: TrainingPolicy
    var actor: Actor
    var rule: DomainError.Rule
    var mentions: [String]
    var testDescription: String { name }
}

let policyRuleCases: [PolicyRuleCase] = [
    PolicyRuleCase(
        name: "command staff or the chief adopt policy", policy: .pasadenaDefault, actor: sergeant, rule: .notAuthorized,
        mentions: ["may not adopt training policy"]),
    PolicyRuleCase(
        name: "a policy needs phases",
        policy: {
            var policy = TrainingPolicy.pasadenaDefault
            policy.fieldTraining.phases = []
            return policy
        }(), actor: chief, rule: .invalidPolicy, mentions: ["at least one phase"]),
    PolicyRuleCase(
        name: "solo clearance requires only courses the policy defines",
        policy: {
            var policy = TrainingPolicy.pasadenaDefault
            policy.fieldTraining.requiredCoursesForSolo.append("juggling")
            return policy
        }(), actor: chief, rule: .invalidPolicy, mentions: ["requires juggling"]),
    PolicyRuleCase(
        name: "a Field Training Program lasts at least 10 weeks (Regulation 1004)",
        policy: {
            var policy = TrainingPolicy.pasadenaDefault
            policy.fieldTraining.phases = [PhasePolicy(number: 1, name: "P1", minimumWeeks: 8)]
            return policy
        }(), actor: chief, rule: .invalidPolicy, mentions: ["at least 10 weeks", "add up to 8"]),
    PolicyRuleCase(
        name: "a Police Training Program lasts at least 15 weeks",
        policy: {
            var policy = TrainingPolicy.pasadenaDefault
            policy.fieldTraining.program = .policeTrainingProgram
            policy.fieldTraining.phases = [PhasePolicy(number: 1, name: "A", minimumWeeks: 6), PhasePolicy(number: 2, name: "B", minimumWeeks: 6)]
            return policy
        }(), actor: chief, rule: .invalidPolicy, mentions: ["Police Training Program (PTP) lasts at least 15 weeks"]),
    PolicyRuleCase(
        name: "orientation lasts at least a week",
        policy: {
            var policy = TrainingPolicy.pasadenaDefault
            policy.fieldTraining.orientationWeeks = 0
            return policy
        }(), actor: chief, rule: .invalidPolicy, mentions: ["at least one week"]),
    PolicyRuleCase(
        name: "the acceptable rating is on the scale",
        policy: {
            var policy = TrainingPolicy.pasadenaDefault
            policy.fieldTraining.ratingScale = .nics
            return policy
        }(), actor: chief, rule: .invalidPolicy, mentions: ["acceptable rating must be on the scale (1–3)"]),
    PolicyRuleCase(
        name: "guidelines describe the policy's categories",
        policy: {
            var policy = TrainingPolicy.pasadenaDefault
            policy.fieldTraining.guidelines["juggling"] = EvaluationGuideline(summary: "Juggling", anchors: [1: "drops"])
            return policy
        }(), actor: chief, rule: .invalidPolicy, mentions: ["guideline for juggling names no evaluation category"]),
    PolicyRuleCase(
        name: "guideline anchors are on the scale",
        policy: {
            var policy = TrainingPolicy.pasadenaDefault
            policy.fieldTraining.guidelines["radio_use"]?.anchors[9] = "Superhuman"
            return policy
        }(), actor: chief, rule: .invalidPolicy, mentions: ["guideline for radio_use anchors a rating off the scale"]),
    PolicyRuleCase(
        name: "checklist tasks are listed once",
        policy: {
            var policy = TrainingPolicy.pasadenaDefault
            policy.fieldTraining.checklist.append(ChecklistSection(name: "Again", tasks: [ChecklistTask(id: "dui_arrest", title: "DUI")]))
            return policy
        }(), actor: chief, rule: .invalidPolicy, mentions: ["checklist tasks are listed twice"]),
    PolicyRuleCase(
        name: "a duplicate badge is never overridable",
        policy: {
            var policy = TrainingPolicy.pasadenaDefault
            policy.plausibility.overridable.append(.duplicateBadge)
            return policy
        }(), actor: chief, rule: .invalidPolicy, mentions: ["badge numbers identify officers"]),
    PolicyRuleCase(
        name: "the longest probation is not shorter than probation",
        policy: {
            var policy = TrainingPolicy.pasadenaDefault
            policy.probation.maximumMonths = 6
            return policy
        }(), actor: chief, rule: .invalidPolicy, mentions: ["longest probation (6 months) is shorter"]),
    PolicyRuleCase(
        name: "the forecast's yield floor is a percentage",
        policy: {
            var policy = TrainingPolicy.pasadenaDefault
            policy.forecast.yieldFloorPercent = 0
            return policy
        }(), actor: chief, rule: .invalidPolicy, mentions: ["yield floor is 1–100 percent"]),
]

func context(_ actor: Actor, _ id: Int) -> CommandContext {
    CommandContext(actor: actor, today: Day("2026-03-01")!, newEntryIDs: [EntryID("e\(id)")])
}

@Suite struct RosterAndPolicyTests {
    static func roster(_ given: [(RosterCommand, Actor)]) throws -> UserRoster {
        var roster = RosterDecider.initial
        for (index, (command, actor)) in given.enumerated() {
            for entry in try RosterDecider.decide(command, roster, context(actor, index)) { RosterDecider.evolve(&roster, entry) }
        }
        return roster
    }

    @Test("each roster rule refuses, naming the rule", arguments: rosterRuleCases)
    func rosterRule(_ rule: RosterRuleCase) throws {
        let roster = try Self.roster(rule.given)
        let error = #expect(throws: DomainError.self) { try RosterDecider.decide(rule.command, roster, context(rule.actor, 99)) }
        #expect(error?.rule == rule.rule, "\(error?.message ?? "")")
        for words in rule.mentions { #expect(error?.message.contains(words) == true, "\"\(error?.message ?? "")\" should mention \"\(words)\"") }
    }

    @Test("each policy rule refuses, naming the rule", arguments: policyRuleCases)
    func policyRule(_ rule: PolicyRuleCase) {
        let error = #expect(throws: DomainError.self) {
            try PolicyDecider.decide(.adopt(rule.policy, effective: Day("2026-01-01")!), PolicyDecider.initial, context(rule.actor, 1))
        }
        #expect(error?.rule == rule.rule, "\(error?.message ?? "")")
        for words in rule.mentions { #expect(error?.message.contains(words) == true, "\"\(error?.message ?? "")\" should mention \"\(words)\"") }
    }

    @Test("the chief appoints the program's coordinator (SAC); a later appointment replaces the first")
    func coordinator() throws {
        let roster = try Self.roster(
            founded + [
                (.appointCoordinator(user: sergeant.id, effective: Day("2026-01-05")!), chief),
                (.appointCoordinator(user: commander.id, effective: Day("2026-02-01")!), chief),
            ])
        #expect(roster.coordinator == UserRoster.Coordinator(user: commander.id, since: Day("2026-02-01")!))
    }

    @Test("the chief founds the roster; each manager registers the ranks below; the roster folds from the entries")
    func registrations() throws {
        let roster = try Self.roster(founded + [(.register(user: OfficerID("t-1"), name: "Dana Whitfield", role: .trainee), sergeant)])
        #expect(roster.sorted.map(\.id.rawValue) == ["chief.perez", "fto.ramos", "lt.moss", "sgt.okafor", "t-1"])
        #expect(roster.member(sergeant.id)?.role == .trainingSergeant)
        #expect(roster.member(OfficerID("t-1"))?.since == Day("2026-03-01"))
    }

    @Test("disabling, enabling and role changes fold into the roster")
    func disableAndChangeRole() throws {
        let roster = try Self.roster(
            founded + [
                (.disable(user: fto.id, reason: "Left the agency"), sergeant),
                (.changeRole(user: sergeant.id, role: .commandStaff, reason: "Promoted"), chief),
            ])
        #expect(roster.member(fto.id)?.disabled == true)
        #expect(roster.member(sergeant.id)?.role == .commandStaff)
        let enabled = try Self.roster(
            founded + [(.disable(user: fto.id, reason: "Leave"), sergeant), (.enable(user: fto.id, reason: "Back from leave"), sergeant)])
        #expect(enabled.member(fto.id)?.disabled == false)
    }

    @Test("an adopted policy governs from its effective day; before the first adoption the default does")
    func adoption() throws {
        var strict = TrainingPolicy.pasadenaDefault
        strict.name = "Strict"
        let entries = try PolicyDecider.decide(.adopt(strict, effective: Day("2026-01-01")!), PolicyDecider.initial, context(chief, 1))
        let book = PolicyDecider.fold(entries)
        #expect(book.policy(on: Day("2025-12-31")!).name == TrainingPolicy.pasadenaDefault.name)
        #expect(book.policy(on: Day("2026-01-01")!).name == "Strict")
        #expect(entries.first?.occurredOn == Day("2026-01-01"))
    }
}

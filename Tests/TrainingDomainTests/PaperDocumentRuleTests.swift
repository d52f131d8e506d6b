import Testing
import TrainingDomain

/// The paper record a command transcribes (a backfill): one table row per rule, run like the
/// rules of `RuleTests`.
let paperDocumentRuleCases: [RuleCase] = [
    RuleCase(
        name: "a paper record names itself", setup: { Scenario.hired() },
        command: { _ in .separate(kind: .resigned, reason: "Moving away", on: Scenario.hire.adding(days: 30)) }, rule: .invalidInput,
        mentions: ["the paper record's reference must not be empty"],
        document: PaperDocument(reference: "  ", signedOn: Scenario.hire.adding(days: 30))),
    RuleCase(
        name: "no paper is signed in the future", setup: { Scenario.hired() },
        command: { _ in .separate(kind: .resigned, reason: "Moving away", on: Scenario.hire.adding(days: 30)) }, rule: .futureDate,
        mentions: ["the paper record's signing date", "is in the future"],
        document: PaperDocument(reference: "Resignation letter", signedOn: Scenario().today.adding(days: 1))),
    RuleCase(
        name: "an extension from paper is dated the day the paper was signed",
        setup: {
            var s = Scenario.onProbation()
            s.today = s.soloDay.adding(months: 13)
            return s
        },
        command: { s in .extendProbation(newEnd: s.soloDay.adding(months: 18), reason: "Needs time", on: s.soloDay.adding(months: 11)) },
        rule: .invalidInput, mentions: ["must be the day the paper was signed"],
        document: PaperDocument(reference: "Memo 24-116", signedOn: Scenario.soloDay.adding(months: 11).adding(days: 1))),
]

@Suite struct PaperDocumentRuleTests {
    @Test("each paper rule refuses with a message naming the rule and the way forward", arguments: paperDocumentRuleCases)
    func rule(_ rule: RuleCase) {
        var scenario = rule.setup()
        let before = scenario.entries.count
        let error = #expect(throws: DomainError.self) {
            try scenario.run(rule.command(scenario), as: rule.actor, override: rule.override, document: rule.document)
        }
        #expect(scenario.entries.count == before)
        #expect(error?.rule == rule.rule, "\(error?.message ?? "")")
        for words in rule.mentions {
            #expect(error?.message.contains(words) == true, "\"\(error?.message ?? "")\" should mention \"\(words)\"")
        }
    }

    @Test("an entry from paper keeps its business date; the paper only says where it came from")
    func paperEntryKeepsItsDate() throws {
        var s = Scenario.hired()
        let day = Scenario.hire.adding(days: 30)
        let entry = try s.run(
            .separate(kind: .resigned, reason: "Moving away", on: day),
            document: PaperDocument(reference: "Resignation letter", signedOn: day.adding(days: 2)))
        #expect(entry.occurredOn == day)
        #expect(s.file.separation?.on == day)
    }
}

import EventLog
import Foundation
import Testing
import TrainingDomain
import TrainingRecords
import TrainingServices

/// Reading a backfill folder into a timeline: pure, no database.
@Suite struct BackfillPlanTests {
    static let agency = AgencyID("pasadena")

    static func plan(_ files: [String: String]) throws -> BackfillPlan {
        try BackfillPlan.make(files.map { (name: $0.key, data: Data($0.value.utf8)) }, agency: agency)
    }

    static let hires = """
        trainee,name,badge,hire_date,signed_by,document
        r-2,Sam Ortiz,R-2,2025-01-06,sgt.okafor,Order 2
        r-1,Dana Whitfield,R-1,2025-01-13,sgt.okafor,Order 1

        """

    @Test("rows become one timeline: users first, then by day, a hire before its enrollment on the same day, then file and line")
    func timeline() throws {
        let plan = try Self.plan([
            "academy.csv": """
            trainee,event,date,class,academy,signed_by,document
            r-1,enroll,2025-01-13,OC-1,OCSD,sgt.okafor,Roster OC-1
            r-2,enroll,2025-01-13,OC-1,OCSD,sgt.okafor,Roster OC-1

            """,
            "hires.csv": Self.hires,
            "users.csv": """
            user,name,role,date,signed_by,document
            sgt.okafor,Sgt. Okafor,training_sergeant,2024-12-01,chief.perez,Memo 1
            chief.perez,Chief Perez,chief,2024-12-01,chief.perez,Memo 1

            """,
        ])
        #expect(plan.steps.map(\.stage) == [.registration, .registration, .hire, .hire, .enrollment, .enrollment])
        #expect(plan.steps.map(\.date.description) == ["2024-12-01", "2024-12-01", "2025-01-06", "2025-01-13", "2025-01-13", "2025-01-13"])
        #expect(
            plan.steps.map { "\($0.file):\($0.line)" } == [
                "users.csv:2", "users.csv:3", "hires.csv:2", "hires.csv:3", "academy.csv:2", "academy.csv:3",
            ])
        #expect(plan.rows == 6)
        #expect(plan.steps[2].document == PaperDocument(reference: "Order 2", signedOn: Day("2025-01-06")!))
    }

    @Test("command ids come from the rows' content: the same folder plans the same ids, identical rows differ, a changed row changes")
    func commandIDs() throws {
        let twice = Self.hires + "r-1,Dana Whitfield,R-1,2025-01-13,sgt.okafor,Order 1\n"
        let first = try Self.plan(["hires.csv": twice]).steps.map(\.commandID)
        let again = try Self.plan(["hires.csv": twice]).steps.map(\.commandID)
        #expect(first == again)
        #expect(Set(first).count == 3)
        // Reordered columns and rows do not change a row's id; another value does.
        let reordered = try Self.plan([
            "hires.csv": "name,trainee,badge,hire_date,signed_by,document\nDana Whitfield,r-1,R-1,2025-01-13,sgt.okafor,Order 1\n"
        ]).steps[0].commandID
        #expect(reordered == first[1])
        let changed = try Self.plan([
            "hires.csv": "trainee,name,badge,hire_date,signed_by,document\nr-1,Dana Whitfield,R-1,2025-01-13,sgt.okafor,Order 1A\n"
        ])
        #expect(changed.steps[0].commandID != first[1])
        // Another agency's import of the same rows is another import.
        let elsewhere = try BackfillPlan.make([(name: "hires.csv", data: Data(twice.utf8))], agency: AgencyID("glendale")).steps.map(\.commandID)
        #expect(Set(elsewhere).isDisjoint(with: first))
    }

    @Test("a ref names the entry its row records first; rows name it, or an entry id on record")
    func refs() throws {
        let plan = try Self.plan([
            "dors.csv": """
            trainee,date,report_writing,narrative,signed_by,document,ref,acknowledged_on
            r-1,2025-08-02,4,Fine,fto.ramos,DOR 1,D-1,2025-08-03

            """,
            "rebuttals.csv": """
            trainee,date,entry,text,signed_by,document
            r-1,2025-08-04,D-1,Not so,r-1,Rebuttal 1
            r-1,2025-08-05,7F1C2A9E-0000-4000-8000-000000000001,Not so,r-1,Rebuttal 2

            """,
        ])
        let dor = try #require(plan.steps.first { $0.stage == .dor })
        let entry = Provenance(commandID: dor.commandID).entryID(0)
        let rebuttals = plan.steps.filter { $0.stage == .rebuttal }.compactMap { step -> EntryID? in
            guard case .record(.fileRebuttal(let entry, _, _), _) = step.action else { return nil }
            return entry
        }
        #expect(rebuttals == [entry, EntryID("7f1c2a9e-0000-4000-8000-000000000001")])
        let acknowledgement = try #require(plan.steps.first { $0.stage == .dorAcknowledgement })
        guard case .record(.acknowledgeDailyObservation(let report, true, nil, _), _) = acknowledgement.action else {
            Issue.record("not an acknowledgement: \(acknowledgement.action)")
            return
        }
        #expect(report == entry)
        #expect(acknowledgement.signer == OfficerID("r-1"))
        #expect(acknowledgement.signerField == "trainee")
    }

    @Test("bad input is one error naming the file, line and field")
    func badInput() throws {
        let cases: [(String, String, String)] = [
            (
                "hires.csv", "trainee,name,badge,hire_date,signed_by,document\nr-1,Dana,R-1,2031-02-30,sgt.okafor,Order 1\n",
                "hires.csv line 2, field hire_date: 2031-02-30 is not a date (YYYY-MM-DD); fix the row and run the import again"
            ),
            (
                "hires.csv", "trainee,name,badge,signed_by,document\n",
                "hires.csv line 1, field hire_date: the column is missing (columns: trainee,name,badge,hire_date,document,signed_by,[document_date],[ref],[override_reason]); fix the file and run the import again"
            ),
            (
                "hires.csv", "trainee,name,badge,hire_date,signed_by,document,colour\n",
                "hires.csv line 1, field colour: is not a column of hires.csv (columns: trainee,name,badge,hire_date,document,signed_by,[document_date],[ref],[override_reason]); fix the file and run the import again"
            ),
            (
                "hires.csv", "trainee,name,badge,hire_date,signed_by,document\nr-1,Dana,R-1,2025-01-06,sgt.okafor,Order 1,extra\n",
                "hires.csv line 2: has 7 fields but the header names 6 columns (a comma inside a value needs quotes); fix the row and run the import again"
            ),
            (
                "hires.csv", "trainee,name,badge,hire_date,signed_by,document\nr-1,\"Dana,R-1,2025-01-06,sgt.okafor,Order 1\n",
                "hires.csv line 2: a quote opened here is never closed; fix the row and run the import again"
            ),
            (
                "hires.csv", "trainee,name,badge,hire_date,signed_by,document\nr 1,Dana,R-1,2025-01-06,sgt.okafor,Order 1\n",
                "hires.csv line 2, field trainee: \"r 1\" is not an id (letters, digits and . _ : - only, at most 100); fix the row and run the import again"
            ),
            (
                "hires.csv", "trainee,name,badge,hire_date,signed_by,document\nr-1,Dana,R-1,2025-01-06,sgt.okafor,\n",
                "hires.csv line 2, field document: is empty; fix the row and run the import again"
            ),
            (
                "academy_tests.csv",
                "trainee,domain,test,date,result,score,instructor,signed_by,document\nr-1,LD 1,written,2025-02-01,passs,88,Vance,inst.vance,T\n",
                "academy_tests.csv line 2, field result: \"passs\" is not one of pass, fail; fix the row and run the import again"
            ),
            (
                "academy_tests.csv",
                "trainee,domain,test,date,result,score,instructor,signed_by,document\nr-1,LD 1,written,2025-02-01,pass,8O,Vance,inst.vance,T\n",
                "academy_tests.csv line 2, field score: 8O is not a number; fix the row and run the import again"
            ),
            (
                "separations.csv", "trainee,date,kind,reason,signed_by,document\nr-1,2025-02-01,quit,Left,sgt.okafor,S\n",
                "separations.csv line 2, field kind: \"quit\" is not one of resigned, released, terminated, failed_academy, retired; fix the row and run the import again"
            ),
            (
                "dors.csv", "trainee,date,report_writing,signed_by,document\nr-1,2025-02-01,four,fto.ramos,D\n",
                "dors.csv line 2, field report_writing: \"four\" is not a rating (a whole number, N/O or NRT); fix the row and run the import again"
            ),
            (
                "field_training.csv", "trainee,event,date,signed_by,document\nr-1,assign_fto,2025-02-01,sgt.okafor,F\n",
                "field_training.csv line 2, field fto: is empty; assign_fto needs it; fix the row and run the import again"
            ),
            (
                "rebuttals.csv", "trainee,date,entry,text,signed_by,document\nr-1,2025-02-01,D-9,No,r-1,R\n",
                "rebuttals.csv line 2, field entry: no row of this import has ref \"D-9\", and it is not an entry id (see `muster history`); fix the row and run the import again"
            ),
            (
                "corrections.csv",
                "trainee,action,entry,date,reason,changes,signed_by,document\nr-1,correct,7f1c2a9e-0000-4000-8000-000000000001,2025-02-01,Typo,score,sgt.okafor,C\n",
                "corrections.csv line 2, field changes: \"score\" must be field=value; fix the row and run the import again"
            ),
            (
                "courses.csv",
                "trainee,officer,course_type,title,hours,provider,date,signed_by,document\nr-1,fto.ramos,use_of_force,UoF,4,PPD,2025-02-01,sgt.okafor,C\n",
                "courses.csv line 2, field officer: give either trainee or officer, not both; fix the row and run the import again"
            ),
            (
                "dor.csv", "trainee\n",
                "dor.csv: is not a backfill file; the files are \(BackfillPlan.fileNames.joined(separator: ", ")) (names in lower case); fix the file and run the import again"
            ),
        ]
        for (file, text, message) in cases {
            do {
                if BackfillPlan.fileNames.contains(file) {
                    _ = try Self.plan([file: text])
                } else {
                    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plan-\(UUID())")
                    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                    try text.write(to: folder.appendingPathComponent(file), atomically: true, encoding: .utf8)
                    _ = try BackfillPlan.read(folder: folder, agency: Self.agency)
                }
                Issue.record("\(file) was accepted: \(text)")
            } catch let error as BackfillError {
                #expect(error.description == message)
                #expect(!error.description.contains("\n"))
            }
        }
    }

    @Test("a correction's changes take the type of the field they replace, reach nested fields, and name a field the entry lacks")
    func entryChanges() throws {
        let test = TrainingEvent.academyTestRecorded(
            AcademyTestRecorded(test: AcademyTestKey(domain: "LD 1", test: "written"), attempt: 1, passed: false, score: 61, instructor: "Vance"))
        let corrected = try EntryChanges("score=91; passed=true; instructor=\"Dep. Vance; OCSD\"").applied(to: test)
        #expect(
            corrected
                == .academyTestRecorded(
                    AcademyTestRecorded(
                        test: AcademyTestKey(domain: "LD 1", test: "written"), attempt: 1, passed: true, score: 91, instructor: "Dep. Vance; OCSD")))
        let hire = TrainingEvent.recruitHired(
            RecruitHired(trainee: TraineeID("r-1"), name: "Dana", badge: "R-1", hireDate: Day("2025-01-06")!, agency: Self.agency))
        // Text stays text, even when it reads as a number.
        #expect(
            try EntryChanges("badge=2291").applied(to: hire)
                == .recruitHired(
                    RecruitHired(trainee: TraineeID("r-1"), name: "Dana", badge: "2291", hireDate: Day("2025-01-06")!, agency: Self.agency)))
        let dor = TrainingEvent.dailyObservationReported(
            DailyObservationReported(
                fto: OfficerID("fto.ramos"), shiftDate: Day("2025-08-02")!, phase: 1, ratings: ["report_writing": .score(3)], narrative: "Weak"))
        #expect(
            try EntryChanges("ratings.report_writing=N/O").applied(to: dor)
                == .dailyObservationReported(
                    DailyObservationReported(
                        fto: OfficerID("fto.ramos"), shiftDate: Day("2025-08-02")!, phase: 1, ratings: ["report_writing": .notObserved],
                        narrative: "Weak")))
        #expect(throws: EntryChanges.Problem.self) { try EntryChanges("scor=91").applied(to: test) }
        #expect(throws: EntryChanges.Problem.self) { try EntryChanges("score=ninety").applied(to: test) }
        #expect(throws: EntryChanges.Problem.self) { try EntryChanges(" ; ") }
    }
}

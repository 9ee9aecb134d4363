package io.headway.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A hand-made dataset in OULAD's CSV layout (not OULAD data): presentation XXX 2014J of 100 days
 * with TMA 1 (day 20, weight 50), CMA 3 (day 40, weight 0), TMA 2 (day 60, weight 50) and an exam
 * without a date. Students:
 * <ol>
 *   <li>Pass: everything on time; TMA 1 scores 80, so 40 coursework points on day 18.
 *   <li>Fail: TMA 1 five days late (within a 7-day grace), TMA 2 never: overdue at day 68.
 *   <li>Withdrawn on day 50 without TMA 1: overdue at day 28.
 *   <li>Withdrawn on day -5: left out.
 *   <li>Distinction, but TMA 1 nine days late: overdue at day 28, a false alert.
 *   <li>Withdrawn on day 70 with both TMAs on time: missed, never warned.
 * </ol>
 * And presentation YYY 2014B with only an undated exam, and student 7 on it: no journey to make, left out.
 */
final class OuladFixture {

    private OuladFixture() {}

    static Path write(Path dir) throws IOException {
        Files.writeString(dir.resolve("course.csv"), """
                "code_module","code_presentation","module_presentation_length"
                "XXX","2014J",100
                "YYY","2014B",120
                """);
        Files.writeString(dir.resolve("assessment.csv"), """
                "code_module","code_presentation","id_assessment","assessment_type","date","weight"
                "XXX","2014J",1,"TMA",20,50
                "XXX","2014J",3,"CMA",40,0
                "XXX","2014J",2,"TMA",60,50
                "XXX","2014J",4,"Exam",,100
                "YYY","2014B",5,"Exam",,100
                """);
        Files.writeString(dir.resolve("student.csv"), """
                "code_module","code_presentation","id_student","gender","region","highest_education","imd_band","age_band","num_of_prev_attempts","studied_credits","disability","final_result"
                "XXX","2014J",1,"F","Wales","A Level or Equivalent","50-60%","0-35",0,60,FALSE,"Pass"
                "XXX","2014J",2,"M","Wales","A Level or Equivalent","50-60%","0-35",0,60,FALSE,"Fail"
                "XXX","2014J",3,"F","Wales","A Level or Equivalent","50-60%","0-35",0,60,FALSE,"Withdrawn"
                "XXX","2014J",4,"M","Wales","A Level or Equivalent","50-60%","0-35",0,60,FALSE,"Withdrawn"
                "XXX","2014J",5,"F","Wales","A Level or Equivalent","50-60%","0-35",0,60,FALSE,"Distinction"
                "XXX","2014J",6,"M","Wales","A Level or Equivalent","50-60%","0-35",0,60,FALSE,"Withdrawn"
                "YYY","2014B",7,"F","Wales","A Level or Equivalent","50-60%","0-35",0,60,FALSE,"Pass"
                """);
        Files.writeString(dir.resolve("student_registration.csv"), """
                "code_module","code_presentation","id_student","date_registration","date_unregistration"
                "XXX","2014J",1,-10,
                "XXX","2014J",2,-10,
                "XXX","2014J",3,-10,50
                "XXX","2014J",4,-10,-5
                "XXX","2014J",5,-10,
                "XXX","2014J",6,-10,70
                "YYY","2014B",7,-10,
                """);
        Files.writeString(dir.resolve("student_assessment.csv"), """
                "id_assessment","id_student","date_submitted","is_banked","score"
                1,1,18,FALSE,80
                3,1,39,FALSE,
                2,1,60,FALSE,70
                1,2,25,FALSE,30
                1,5,29,FALSE,90
                2,5,59,FALSE,95
                1,6,20,FALSE,50
                2,6,60,FALSE,40
                """);
        return dir;
    }
}

//! The course's exercise data (seed 002, Example 1 and exercise ex1).

/// Exposures of the course example: user 3 is exposed twice (first exposure wins).
pub const EXPOSURES_CSV: &str = "user_id,variant,exposure_ts
1,control,2023-01-01 10:00:00
2,control,2023-01-01 10:05:00
3,variant,2023-01-01 11:00:00
4,variant,2023-01-02 09:00:00
5,control,2023-01-02 12:00:00
3,control,2023-01-03 12:00:00
";

/// Events of the course example: user 3's purchase falls an hour outside the window.
pub const EVENTS_CSV: &str = "user_id,event,amount,event_ts
1,view,0,2023-01-01 10:01:00
1,purchase,30,2023-01-02 08:00:00
2,view,0,2023-01-01 10:06:00
3,view,0,2023-01-01 11:05:00
3,purchase,20,2023-01-08 12:00:00
4,view,0,2023-01-02 09:10:00
4,purchase,50,2023-01-02 10:00:00
5,view,0,2023-01-10 12:00:00
";

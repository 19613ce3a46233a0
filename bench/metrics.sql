-- One month's ticket- and survey-derived metrics, per engineer, in SQL.
--
-- This is an independent re-implementation of shared/ticket (the reducer)
-- and shared/metric (measure.go) for the 24×7 calendar, used to check the Go
-- engine and to compare its speed with DuckDB's. It reads four tables that
-- bench/duck.go creates and fills:
--
--   events(source, event_id, ticket_id, type, occurred_at TIMESTAMPTZ,
--          actor_id, actor_kind, assignee_id, public, status, priority,
--          tags VARCHAR[], has_tags, ticket_type, rating, solved, comment)
--       the normalised events exactly as received: duplicates included, in
--       any order; '' (never NULL) for an absent string, solved NULL when
--       the customer did not answer "was your problem solved?".
--   directory(source, agent_id, engineer_id)
--       (source, agent id) → engineer; agents not listed earn no credit.
--   settings(time_zone, year, month, first_response_us, complaint_window_us,
--            reopen_window_us, complaint_tags VARCHAR[], complaint_types VARCHAR[])
--       one row: the month scored and the policy's windows in microseconds.
--   sla_target(priority, target_us)
--
-- It returns one row per engineer and metric: numerator, denominator and n,
-- the inputs metric.Value keeps, plus a row "tickets" (n = distinct tickets
-- credited to the engineer in any ticket metric). Durations are computed in
-- whole microseconds and turned into hours only when summed.

WITH
-- The month in the policy's time zone, and the as-of time: the latest event
-- received (an SLA deadline after it has not passed yet). inMonth(t) below
-- is m_start <= t < m_end AND t <= as_of.
s AS (
  SELECT *,
    timezone(time_zone, make_timestamp(year, month, 1, 0, 0, 0)) AS m_start,
    timezone(time_zone, make_timestamp(year, month, 1, 0, 0, 0) + INTERVAL 1 MONTH) AS m_end,
    (SELECT max(occurred_at) FROM events) AS as_of
  FROM settings
),

-- Type rank breaks ties between events at the same instant (event.Types):
-- creation first, status changes last among ticket events, survey answers
-- after everything.
ranked AS (
  SELECT *,
    coalesce(list_position(['created', 'assigned', 'priority_changed', 'tags_changed',
                            'replied', 'note', 'status_changed', 'survey_answered'], type), 9) - 1 AS trank
  FROM events
),

-- Delivery is at-least-once: of the events sharing an id within a ticket,
-- keep the one that sorts first in the canonical order (ticket.Canonical).
-- Few ids repeat, so only those are sorted.
repeated AS (
  SELECT source, ticket_id, event_id FROM events
  GROUP BY source, ticket_id, event_id HAVING count(*) > 1
),
redelivered AS (
  SELECT * FROM ranked SEMI JOIN repeated USING (source, ticket_id, event_id)
  QUALIFY row_number() OVER (
    PARTITION BY source, ticket_id, event_id
    ORDER BY occurred_at, trank, actor_kind, actor_id, assignee_id, public, status, priority,
             has_tags, tags, ticket_type, rating,
             CASE WHEN solved IS NULL THEN 0 WHEN NOT solved THEN 1 ELSE 2 END, comment) = 1
),
ev AS (
  SELECT *,
    -- An assignment: "assigned" ('' unassigns), or "created" naming an assignee.
    CASE WHEN type = 'assigned' OR (type = 'created' AND assignee_id <> '') THEN assignee_id END AS assign_to,
    -- A status set explicitly.
    CASE WHEN type IN ('created', 'status_changed') AND status <> '' THEN status END AS set_status
  FROM (SELECT * FROM ranked ANTI JOIN repeated USING (source, ticket_id, event_id)
        UNION ALL BY NAME
        SELECT * FROM redelivered)
),

-- The fold, in one pass over each ticket's events in the canonical order
-- (time, type rank, event id); pos numbers them, and everything "before"
-- an event below means a smaller pos. The reducer's state after each event:
--   assignee: the assignee in force (an assignment on "created" happens
--     before its status);
--   status_after / status_before: the status after and before the event.
--     It is the latest status set explicitly; before any, "new" once a
--     ticket has been created ("created" without a status means "new" on a
--     ticket with no status yet, and changes nothing later); else none ('').
fold AS (
  SELECT *,
    row_number() OVER (PARTITION BY source, ticket_id ORDER BY occurred_at, trank, event_id) AS pos,
    coalesce(last_value(assign_to IGNORE NULLS) OVER (
      PARTITION BY source, ticket_id ORDER BY occurred_at, trank, event_id
      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), '') AS assignee,
    coalesce(last_value(set_status IGNORE NULLS) OVER (
      PARTITION BY source, ticket_id ORDER BY occurred_at, trank, event_id
      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
      CASE WHEN bool_or(type = 'created') OVER (
        PARTITION BY source, ticket_id ORDER BY occurred_at, trank, event_id
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) THEN 'new' ELSE '' END) AS status_after,
    coalesce(last_value(set_status IGNORE NULLS) OVER (
      PARTITION BY source, ticket_id ORDER BY occurred_at, trank, event_id
      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING),
      CASE WHEN bool_or(type = 'created') OVER (
        PARTITION BY source, ticket_id ORDER BY occurred_at, trank, event_id
        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) THEN 'new' ELSE '' END) AS status_before
  FROM ev
),

-- ticket.State.Statuses: the actual changes of status.
-- Resolutions: into resolved or closed from anything else; reopens: out of
-- them.
chg AS (
  SELECT source, ticket_id, pos, occurred_at AS changed_at, status_after AS to_status, assignee,
    status_after IN ('resolved', 'closed') AND status_before NOT IN ('resolved', 'closed') AS is_resolution,
    status_before IN ('resolved', 'closed') AND status_after NOT IN ('resolved', 'closed') AS is_reopen
  FROM fold WHERE status_after <> status_before
),

-- One row per ticket: creation (NULL if the created event was never seen),
-- the fields as the last event that set them left them, the current
-- status, the first public reply by an agent.
tk AS (
  SELECT source, ticket_id,
    min(occurred_at) FILTER (WHERE type = 'created') AS created_at,
    coalesce(arg_max(priority, pos) FILTER (WHERE type IN ('created', 'priority_changed', 'tags_changed') AND priority <> ''), 'normal') AS priority,
    coalesce(arg_max(tags, pos) FILTER (WHERE type IN ('created', 'priority_changed', 'tags_changed') AND has_tags), []::VARCHAR[]) AS tags,
    coalesce(arg_max(ticket_type, pos) FILTER (WHERE type IN ('created', 'priority_changed', 'tags_changed') AND ticket_type <> ''), '') AS ticket_type,
    coalesce(nullif(arg_max(status_after, pos), ''), 'new') AS status,
    arg_min(occurred_at, pos) FILTER (WHERE type = 'replied' AND public AND actor_kind = 'agent' AND actor_id <> '') AS response_at,
    arg_min(actor_id, pos) FILTER (WHERE type = 'replied' AND public AND actor_kind = 'agent' AND actor_id <> '') AS responder
  FROM fold
  GROUP BY source, ticket_id
),

-- Resolutions: the first (judged by resolution_success_rate) and the final
-- one, which stands only while the ticket is resolved or closed now; each
-- credited to the assignee at that moment.
res AS (
  SELECT source, ticket_id,
    arg_min(changed_at, pos) AS first_at, arg_min(assignee, pos) AS first_agent,
    arg_max(changed_at, pos) AS last_at,  arg_max(assignee, pos) AS last_agent
  FROM chg WHERE is_resolution
  GROUP BY source, ticket_id
),
t AS (
  SELECT tk.*, res.first_at, res.first_agent,
    tk.status IN ('resolved', 'closed') AND res.last_at IS NOT NULL AS resolved,
    CASE WHEN tk.status IN ('resolved', 'closed') THEN res.last_at END AS final_at,
    CASE WHEN tk.status IN ('resolved', 'closed') THEN res.last_agent END AS final_agent,
    -- Complaint: the type or a tag maps to complaint in the policy.
    (tk.ticket_type <> '' AND list_contains(s.complaint_types, tk.ticket_type))
      OR list_has_any(tk.tags, s.complaint_tags) AS complaint
  FROM tk LEFT JOIN res USING (source, ticket_id) CROSS JOIN s
),

-- The engineer's clock (ticket.State.Working): from creation, running while
-- the ticket is new, open or on hold; stopped while pending, resolved or
-- closed. Segments start at creation (in the status in force then) and at
-- every later status change; s_end NULL means still running.
seg AS (
  SELECT t.source, t.ticket_id, t.created_at AS s_start, 0 AS pos,
    coalesce(arg_max(chg.to_status, chg.pos) FILTER (WHERE chg.changed_at <= t.created_at), 'new') AS st
  FROM t LEFT JOIN chg USING (source, ticket_id)
  WHERE t.created_at IS NOT NULL
  GROUP BY t.source, t.ticket_id, t.created_at
  UNION ALL
  SELECT chg.source, chg.ticket_id, chg.changed_at, chg.pos, chg.to_status
  FROM chg JOIN t USING (source, ticket_id)
  WHERE chg.changed_at > t.created_at
),
running AS (
  SELECT source, ticket_id, pos, s_start, s_end,
    epoch_us(s_end) - epoch_us(s_start) AS len_us,
    -- working time accumulated before the segment
    coalesce(sum(epoch_us(s_end) - epoch_us(s_start)) OVER (
      PARTITION BY source, ticket_id ORDER BY pos ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)::BIGINT AS before_us
  FROM (
    SELECT *, lead(s_start) OVER (PARTITION BY source, ticket_id ORDER BY pos) AS s_end
    FROM seg
  )
  WHERE st IN ('new', 'open', 'on_hold')
),

-- avg_handle_hours' time: working time from creation to the final
-- resolution (segments clipped there).
handle AS (
  SELECT r.source, r.ticket_id,
    sum(greatest(0, least(coalesce(epoch_us(r.s_end), epoch_us(t.final_at)), epoch_us(t.final_at)) - epoch_us(r.s_start))) AS handle_us
  FROM running r JOIN t USING (source, ticket_id)
  WHERE t.resolved
  GROUP BY r.source, r.ticket_id
),

-- SLA deadline: the instant the clock reaches the priority's target, in
-- the segment where the accumulated time crosses it. No row: the clock
-- stopped for good before reaching it.
deadline AS (
  SELECT r.source, r.ticket_id,
    r.s_start + to_microseconds(q.target_us - r.before_us) AS deadline
  FROM running r JOIN t USING (source, ticket_id) JOIN sla_target q ON q.priority = t.priority
  WHERE r.before_us < q.target_us AND (r.len_us IS NULL OR r.before_us + r.len_us >= q.target_us)
),

-- A breach: the deadline came and the ticket was not finally resolved
-- before it. Judged in the deadline's month, for the assignee at the
-- deadline; completion also asks whether the ticket was still not done
-- when the month ended (or at the as-of time, if earlier).
breach AS (
  SELECT d.source, d.ticket_id, d.deadline, t.resolved, t.final_at, t.created_at,
    least(s.m_end, s.as_of) AS cut
  FROM deadline d JOIN t USING (source, ticket_id) CROSS JOIN s
  WHERE NOT t.resolved OR d.deadline < t.final_at
),
breach_credit AS (
  SELECT b.source, b.ticket_id, b.deadline, b.resolved, b.final_at, b.created_at, b.cut,
    coalesce((SELECT arg_max(o.assign_to, o.pos) FROM fold o
              WHERE o.source = b.source AND o.ticket_id = b.ticket_id
                AND o.assign_to IS NOT NULL AND o.occurred_at <= b.deadline), '') AS agent,
    coalesce((SELECT arg_max(c.to_status, c.pos) FROM chg c
              WHERE c.source = b.source AND c.ticket_id = b.ticket_id AND c.changed_at <= b.cut), 'new') AS status_at_cut
  FROM breach b CROSS JOIN s
  WHERE b.deadline >= s.m_start AND b.deadline < s.m_end AND b.deadline <= s.as_of
),

-- Survey answers. Each belongs to the last resolution before it (none:
-- -1), and a later answer to the same resolution replaces an earlier one.
-- Credit: the engineer the answer names, else the assignee at that
-- resolution, else (no resolution yet) the assignee at the time.
answers AS (
  SELECT source, ticket_id, answered_at, rating, solved,
    CASE WHEN named <> '' THEN named ELSE coalesce(resolver, assignee) END AS agent
  FROM (
    SELECT a.source, a.ticket_id, a.pos, a.occurred_at AS answered_at, a.rating, a.solved,
      a.assignee_id AS named, a.assignee,
      count(c.pos) AS resolutions_before, arg_max(c.assignee, c.pos) AS resolver
    FROM fold a LEFT JOIN chg c
      ON c.source = a.source AND c.ticket_id = a.ticket_id AND c.is_resolution AND c.pos < a.pos
    WHERE a.type = 'survey_answered'
    GROUP BY a.source, a.ticket_id, a.pos, a.occurred_at, a.rating, a.solved, a.assignee_id, a.assignee
  )
  QUALIFY row_number() OVER (PARTITION BY source, ticket_id, resolutions_before ORDER BY pos DESC) = 1
),

-- Internal notes by agents, with the assignee when they were written.
notes AS (
  SELECT source, ticket_id, occurred_at AS noted_at, actor_id AS agent, assignee AS owner
  FROM fold WHERE type = 'note' AND actor_kind = 'agent' AND actor_id <> ''
),

-- Every credit: (ticket, agent id, metric, numerator, denominator). Each
-- row adds to the metric's numerator and denominator and 1 to its n.
credit AS (
  -- avg_first_response_hours: created → first public agent reply, for
  -- tickets created in the month, credited to whoever sent that reply.
  SELECT t.source, t.ticket_id, t.responder AS agent, 'avg_first_response_hours' AS metric,
    greatest(0, epoch_us(t.response_at) - epoch_us(t.created_at)) / 3.6e9 AS num, 1.0 AS den
  FROM t CROSS JOIN s
  WHERE t.created_at >= s.m_start AND t.created_at < s.m_end AND t.created_at <= s.as_of
    AND t.response_at <= s.as_of
  UNION ALL
  -- first_response_1h_rate: the same replies, within the window (1 h).
  SELECT t.source, t.ticket_id, t.responder, 'first_response_1h_rate',
    CASE WHEN greatest(0, epoch_us(t.response_at) - epoch_us(t.created_at)) <= s.first_response_us THEN 1.0 ELSE 0.0 END, 1.0
  FROM t CROSS JOIN s
  WHERE t.created_at >= s.m_start AND t.created_at < s.m_end AND t.created_at <= s.as_of
    AND t.response_at <= s.as_of
  UNION ALL
  -- complaint_rate: complaints / tickets handled (final resolution in the
  -- month, credited to the assignee then).
  SELECT t.source, t.ticket_id, t.final_agent, 'complaint_rate', CASE WHEN t.complaint THEN 1.0 ELSE 0.0 END, 1.0
  FROM t CROSS JOIN s
  WHERE t.resolved AND t.final_at >= s.m_start AND t.final_at < s.m_end AND t.final_at <= s.as_of
  UNION ALL
  -- complaint_24h_rate: of those complaints whose creation is known,
  -- resolved within 24 calendar hours of creation.
  SELECT t.source, t.ticket_id, t.final_agent, 'complaint_24h_rate',
    CASE WHEN epoch_us(t.final_at) - epoch_us(t.created_at) <= s.complaint_window_us THEN 1.0 ELSE 0.0 END, 1.0
  FROM t CROSS JOIN s
  WHERE t.resolved AND t.final_at >= s.m_start AND t.final_at < s.m_end AND t.final_at <= s.as_of
    AND t.complaint AND t.created_at IS NOT NULL
  UNION ALL
  -- avg_handle_hours: working time created → final resolution.
  SELECT t.source, t.ticket_id, t.final_agent, 'avg_handle_hours', coalesce(h.handle_us, 0) / 3.6e9, 1.0
  FROM t LEFT JOIN handle h USING (source, ticket_id) CROSS JOIN s
  WHERE t.resolved AND t.final_at >= s.m_start AND t.final_at < s.m_end AND t.final_at <= s.as_of
    AND t.created_at IS NOT NULL
  UNION ALL
  -- completion_rate, numerator and denominator: tickets handled.
  SELECT t.source, t.ticket_id, t.final_agent, 'completion_rate', 1.0, 1.0
  FROM t CROSS JOIN s
  WHERE t.resolved AND t.final_at >= s.m_start AND t.final_at < s.m_end AND t.final_at <= s.as_of
  UNION ALL
  -- resolution_sla_rate, met: finally resolved in the month with no
  -- deadline before the resolution.
  SELECT t.source, t.ticket_id, t.final_agent, 'resolution_sla_rate', 1.0, 1.0
  FROM t CROSS JOIN s
  WHERE t.resolved AND t.final_at >= s.m_start AND t.final_at < s.m_end AND t.final_at <= s.as_of
    AND t.created_at IS NOT NULL
    AND t.priority IN (SELECT priority FROM sla_target)
    AND NOT EXISTS (SELECT 1 FROM breach b WHERE b.source = t.source AND b.ticket_id = t.ticket_id)
  UNION ALL
  -- resolution_sla_rate, breached: in the deadline's month, for the
  -- assignee at the deadline.
  SELECT source, ticket_id, agent, 'resolution_sla_rate', 0.0, 1.0
  FROM breach_credit
  UNION ALL
  -- completion_rate's denominator: a ticket that fell due in the month and
  -- was still unresolved when the month ended (or as of the run).
  SELECT source, ticket_id, agent, 'completion_rate', 0.0, 1.0
  FROM breach_credit
  WHERE NOT (resolved AND final_at < cut) AND status_at_cut NOT IN ('resolved', 'closed')
  UNION ALL
  -- resolution_success_rate: first resolved in the month (credited to the
  -- assignee then) and not reopened within the window (7 days) after it.
  SELECT t.source, t.ticket_id, t.first_agent, 'resolution_success_rate',
    CASE WHEN EXISTS (SELECT 1 FROM chg c
                      WHERE c.source = t.source AND c.ticket_id = t.ticket_id AND c.is_reopen
                        AND c.changed_at > t.first_at AND c.changed_at <= t.first_at + to_microseconds(s.reopen_window_us))
         THEN 0.0 ELSE 1.0 END, 1.0
  FROM t CROSS JOIN s
  WHERE t.first_at >= s.m_start AND t.first_at < s.m_end AND t.first_at <= s.as_of
  UNION ALL
  -- csat_score: rating r of 1–5 → (r−1)·25, answers received in the month.
  SELECT a.source, a.ticket_id, a.agent, 'csat_score', (a.rating - 1) * 25.0, 1.0
  FROM answers a CROSS JOIN s
  WHERE a.answered_at >= s.m_start AND a.answered_at < s.m_end AND a.answered_at <= s.as_of AND a.rating BETWEEN 1 AND 5
  UNION ALL
  -- csat_satisfied_rate: ratings of 4 or 5.
  SELECT a.source, a.ticket_id, a.agent, 'csat_satisfied_rate', CASE WHEN a.rating >= 4 THEN 1.0 ELSE 0.0 END, 1.0
  FROM answers a CROSS JOIN s
  WHERE a.answered_at >= s.m_start AND a.answered_at < s.m_end AND a.answered_at <= s.as_of AND a.rating BETWEEN 1 AND 5
  UNION ALL
  -- followup_confirmed_rate: "problem solved: yes" / answers to it.
  SELECT a.source, a.ticket_id, a.agent, 'followup_confirmed_rate', CASE WHEN a.solved THEN 1.0 ELSE 0.0 END, 1.0
  FROM answers a CROSS JOIN s
  WHERE a.answered_at >= s.m_start AND a.answered_at < s.m_end AND a.answered_at <= s.as_of AND a.rating BETWEEN 1 AND 5
    AND a.solved IS NOT NULL
  UNION ALL
  -- collaboration_cases: once per ticket and writer, internal notes written
  -- in the month on a ticket assigned to another engineer at the time (an
  -- owner missing from the directory counts as another engineer).
  SELECT DISTINCT n.source, n.ticket_id, n.agent, 'collaboration_cases', 1.0, 0.0
  FROM notes n CROSS JOIN s
  JOIN directory w ON w.source = n.source AND w.agent_id = n.agent
  LEFT JOIN directory o ON o.source = n.source AND o.agent_id = n.owner
  WHERE n.noted_at >= s.m_start AND n.noted_at < s.m_end AND n.noted_at <= s.as_of AND n.owner <> ''
    AND (o.engineer_id IS NULL OR o.engineer_id <> w.engineer_id)
),

-- Agent ids → engineers; credit to agents not in the directory is dropped.
per_engineer AS (
  SELECT d.engineer_id, c.*
  FROM credit c JOIN directory d ON d.source = c.source AND d.agent_id = c.agent
)

SELECT engineer_id, metric, sum(num)::DOUBLE AS numerator, sum(den)::DOUBLE AS denominator, count(*) AS n
FROM per_engineer
GROUP BY engineer_id, metric
UNION ALL
-- Tickets credited to the engineer in any ticket metric (the month's
-- "enough data" test).
SELECT engineer_id, 'tickets', count(DISTINCT (source, ticket_id))::DOUBLE, 0::DOUBLE, count(DISTINCT (source, ticket_id))
FROM per_engineer
GROUP BY engineer_id
ORDER BY engineer_id, metric

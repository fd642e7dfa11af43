//! [`SoftwareCase::apply`]: each command checked against the clause that governs it.

use super::*;

fn deny(clause: Clause, by: &Party, action: &'static str) -> VulnError {
    VulnError::NotPermitted {
        clause,
        party: by.clone(),
        action,
    }
}

fn need(ok: bool, clause: Clause, what: &'static str) -> Result<(), VulnError> {
    if ok {
        Ok(())
    } else {
        Err(VulnError::Condition { clause, what })
    }
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

impl SoftwareCase {
    /// Applies one command by one party at `at`. On success the case has changed, a
    /// history entry names the clause, and the notices say whom to tell what; on error
    /// nothing changed.
    pub fn apply(
        &mut self,
        roster: &Roster,
        by: &Party,
        at: OffsetDateTime,
        command: Command,
    ) -> Result<Applied, VulnError> {
        let mut next = self.clone();
        let applied = next.run(roster, by, at, &command)?;
        next.history.push(HistoryEntry {
            at,
            by: by.clone(),
            clause: applied.clause,
            command,
        });
        *self = next;
        Ok(applied)
    }

    fn stage_is(&self, ok: bool, clause: Clause, action: &'static str) -> Result<(), VulnError> {
        if ok {
            Ok(())
        } else {
            Err(VulnError::WrongStage {
                clause,
                action,
                stage: self.stage.name(),
            })
        }
    }

    fn thread(
        &mut self,
        developer: &DeveloperId,
        clause: Clause,
    ) -> Result<&mut DeveloperThread, VulnError> {
        self.developers
            .get_mut(developer)
            .ok_or_else(|| VulnError::UnknownDeveloper {
                clause,
                developer: developer.clone(),
            })
    }

    fn tell_notified(&self, what: NoticeKind) -> Vec<Notice> {
        self.notified_developers()
            .map(|t| Notice {
                to: Party::Developer(t.developer.clone()),
                what: what.clone(),
            })
            .collect()
    }

    fn run(
        &mut self,
        roster: &Roster,
        by: &Party,
        at: OffsetDateTime,
        command: &Command,
    ) -> Result<Applied, VulnError> {
        let coordinating = matches!(self.stage, Stage::Coordinating);
        match command {
            Command::Accept => {
                let c = Clause::SwReceiving1;
                if *by != Party::ReceivingBody {
                    return Err(deny(c, by, "accept a report"));
                }
                self.stage_is(self.stage == Stage::Submitted, c, "accept")?;
                self.report.check_complete()?;
                self.stage = Stage::Accepted;
                Ok(Applied {
                    clause: c,
                    notices: vec![Notice {
                        to: Party::Discoverer,
                        what: NoticeKind::Accepted,
                    }],
                })
            }
            Command::Refuse { reason } => {
                let c = Clause::SwReceiving1;
                if *by != Party::ReceivingBody {
                    return Err(deny(c, by, "refuse a report"));
                }
                self.stage_is(self.stage == Stage::Submitted, c, "refuse")?;
                need(
                    !blank(reason),
                    c,
                    "a refusal tells the discoverer its reason",
                )?;
                self.stage = Stage::Refused {
                    reason: reason.clone(),
                };
                let what = NoticeKind::Refused {
                    reason: reason.clone(),
                };
                Ok(Applied {
                    clause: c,
                    notices: vec![Notice {
                        to: Party::Discoverer,
                        what,
                    }],
                })
            }
            Command::Stop { reason, detail } => {
                let c = Clause::SwReceiving2;
                if *by != Party::ReceivingBody {
                    return Err(deny(c, by, "stop handling a report"));
                }
                let ok = match self.stage {
                    Stage::Accepted => !reason.is_notified(),
                    Stage::Coordinating => self.flow == Flow::ThirdParty,
                    _ => false,
                };
                self.stage_is(ok, c, "stop")?;
                need(
                    !blank(detail),
                    c,
                    "the discoverer is told the ground and the reason",
                )?;
                let mut notices = vec![Notice {
                    to: Party::Discoverer,
                    what: NoticeKind::Stopped { reason: *reason },
                }];
                if coordinating {
                    notices.push(Notice {
                        to: Party::Coordinator,
                        what: NoticeKind::Stopped { reason: *reason },
                    });
                    notices.extend(self.tell_notified(NoticeKind::Stopped { reason: *reason }));
                }
                self.stage = Stage::Stopped {
                    reason: *reason,
                    detail: detail.clone(),
                };
                Ok(Applied { clause: c, notices })
            }
            Command::HandOver => {
                let c = Clause::SwReceiving2;
                if *by != Party::ReceivingBody {
                    return Err(deny(c, by, "hand a report over"));
                }
                self.stage_is(self.stage == Stage::Accepted, c, "hand over")?;
                self.stage = Stage::Coordinating;
                Ok(Applied {
                    clause: c,
                    notices: vec![Notice {
                        to: Party::Coordinator,
                        what: NoticeKind::HandedOver,
                    }],
                })
            }
            Command::AddDeveloper {
                developer,
                products,
            } => {
                let c = Clause::SwCoordinator2;
                if *by != Party::Coordinator {
                    return Err(deny(c, by, "add a developer"));
                }
                self.stage_is(coordinating, c, "add a developer")?;
                if roster.get(developer).is_none() {
                    return Err(VulnError::UnknownDeveloper {
                        clause: c,
                        developer: developer.clone(),
                    });
                }
                need(
                    !self.developers.contains_key(developer),
                    c,
                    "the developer is already on the case",
                )?;
                self.developers.insert(
                    developer.clone(),
                    DeveloperThread::new(developer.clone(), products.clone()),
                );
                Ok(Applied {
                    clause: c,
                    notices: vec![],
                })
            }
            Command::NotifyDeveloper { developer } => {
                let c = Clause::SwCoordinator2;
                if *by != Party::Coordinator {
                    return Err(deny(c, by, "notify a developer"));
                }
                self.stage_is(coordinating, c, "notify a developer")?;
                let date = self.publication_date();
                let t = self.thread(developer, c)?;
                t.move_to(DeveloperStatus::Notified, at, by, None, c)?;
                t.notified_at.get_or_insert(at);
                self.start_date.get_or_insert(at);
                let to = Party::Developer(developer.clone());
                let mut notices = vec![Notice {
                    to: to.clone(),
                    what: NoticeKind::VerificationRequested,
                }];
                if let Some(date) = date {
                    notices.push(Notice {
                        to,
                        what: NoticeKind::PublicationDate { date },
                    });
                }
                Ok(Applied { clause: c, notices })
            }
            Command::MarkUnreachable { developer, note } => {
                let c = Clause::SwCoordinator2;
                if *by != Party::Coordinator {
                    return Err(deny(c, by, "mark a developer unreachable"));
                }
                self.stage_is(coordinating, c, "mark a developer unreachable")?;
                need(!blank(note), c, "say what was tried to reach the developer")?;
                self.thread(developer, c)?.move_to(
                    DeveloperStatus::Unreachable,
                    at,
                    by,
                    Some(note.clone()),
                    c,
                )?;
                Ok(Applied {
                    clause: c,
                    notices: vec![],
                })
            }
            Command::ListUnreachable { developer } => {
                let c = Clause::SwCoordinator2;
                if *by != Party::Coordinator {
                    return Err(deny(c, by, "list a developer as unreachable"));
                }
                self.stage_is(coordinating, c, "list a developer as unreachable")?;
                let t = self.thread(developer, c)?;
                need(
                    t.status == DeveloperStatus::Unreachable,
                    c,
                    "only a developer marked unreachable is listed",
                )?;
                t.listed_unreachable.get_or_insert(at);
                Ok(Applied {
                    clause: c,
                    notices: vec![],
                })
            }
            Command::RemoveDeveloper { developer, reason } => {
                let c = Clause::SwCoordinator2;
                if *by != Party::Coordinator {
                    return Err(deny(c, by, "remove a developer"));
                }
                self.stage_is(coordinating, c, "remove a developer")?;
                need(!blank(reason), c, "say why the developer is not concerned")?;
                let st = self.thread(developer, c)?.status;
                need(
                    matches!(
                        st,
                        DeveloperStatus::NotContacted | DeveloperStatus::Unreachable
                    ),
                    c,
                    "only a developer never reached can be removed; a notified one answers",
                )?;
                self.developers.remove(developer);
                Ok(Applied {
                    clause: c,
                    notices: vec![],
                })
            }
            Command::Reply {
                developer,
                reply,
                source,
            } => self.reply(by, at, developer, reply, source),
            Command::SetPublicationDate { date, basis } => self.set_date(by, at, *date, basis),
            Command::RequestDateChange {
                developer,
                proposed,
                reason,
            } => {
                let c = Clause::SwCoordinator4;
                if *by != Party::Developer(developer.clone()) {
                    return Err(deny(c, by, "ask for a date change for another developer"));
                }
                self.stage_is(coordinating, c, "ask for a date change")?;
                need(
                    self.publication.is_some(),
                    c,
                    "there is no publication date to change yet",
                )?;
                need(
                    self.thread(developer, c)?.status.was_notified(),
                    c,
                    "only a notified developer asks",
                )?;
                need(
                    !blank(reason),
                    c,
                    "a change request gives the developer's reasons",
                )?;
                self.date_changes.push(DateChangeRequest {
                    developer: developer.clone(),
                    proposed: *proposed,
                    reason: reason.clone(),
                    at,
                    accepted: None,
                });
                let what = NoticeKind::DateChangeRequested {
                    developer: developer.clone(),
                };
                Ok(Applied {
                    clause: c,
                    notices: vec![Notice {
                        to: Party::Coordinator,
                        what,
                    }],
                })
            }
            Command::DecideDateChange {
                request,
                accept,
                date,
                note,
            } => {
                let c = Clause::SwCoordinator4;
                if *by != Party::Coordinator {
                    return Err(deny(c, by, "decide on a date change"));
                }
                self.stage_is(coordinating, c, "decide on a date change")?;
                let req = self.date_changes.get(*request).cloned();
                let req = req.ok_or(VulnError::Condition {
                    clause: c,
                    what: "no such change request",
                })?;
                need(req.accepted.is_none(), c, "the request was already decided")?;
                self.date_changes[*request].accepted = Some(*accept);
                if !*accept {
                    let to = Party::Developer(req.developer);
                    return Ok(Applied {
                        clause: c,
                        notices: vec![Notice {
                            to,
                            what: NoticeKind::DateChangeDeclined,
                        }],
                    });
                }
                let new = date.unwrap_or(req.proposed);
                need(new > at, c, "the new publication date lies in the future")?;
                let p = self.publication.as_mut().ok_or(VulnError::Condition {
                    clause: c,
                    what: "no date",
                })?;
                p.date = new;
                p.set_at = at;
                p.changes += 1;
                p.basis.note = format!(
                    "{} / change request of {}: {}",
                    note, req.developer, req.reason
                );
                let what = NoticeKind::PublicationDate { date: new };
                let mut notices = vec![Notice {
                    to: Party::ReceivingBody,
                    what: what.clone(),
                }];
                notices.extend(self.tell_notified(what));
                Ok(Applied { clause: c, notices })
            }
            Command::SetStartDate { date } => {
                let c = Clause::SwCoordinator3;
                if *by != Party::Coordinator {
                    return Err(deny(c, by, "set the start date"));
                }
                self.stage_is(coordinating, c, "set the start date")?;
                self.start_date = Some(*date);
                Ok(Applied {
                    clause: c,
                    notices: vec![],
                })
            }
            Command::WriteAdvisory { text } => {
                let c = Clause::SwCoordinator6;
                if *by != Party::Coordinator {
                    return Err(deny(c, by, "write the advisory"));
                }
                self.stage_is(
                    coordinating || matches!(self.stage, Stage::Published { .. }),
                    c,
                    "write the advisory",
                )?;
                text.check()?;
                self.advisory = Some(text.clone());
                Ok(Applied {
                    clause: c,
                    notices: vec![],
                })
            }
            Command::GiveEarlyNotice {
                bodies,
                reason,
                coordinator_consulted,
                consulted_developers,
                discoverer_told_at,
            } => {
                let c = Clause::SwReceiving6;
                if *by != Party::ReceivingBody {
                    return Err(deny(c, by, "give early notice to government bodies"));
                }
                self.stage_is(coordinating, c, "give early notice")?;
                need(
                    !bodies.is_empty() && !blank(reason),
                    c,
                    "name the bodies and the impact on critical infrastructure",
                )?;
                let with_measure: Vec<&DeveloperId> = self
                    .developers
                    .values()
                    .filter(|t| !t.countermeasures.is_empty())
                    .map(|t| &t.developer)
                    .collect();
                need(
                    !with_measure.is_empty(),
                    c,
                    "only after a countermeasure has been made (対策方法が作成されてから)",
                )?;
                if let Some(date) = self.publication_date() {
                    need(at < date, c, "only before publication")?;
                }
                need(*coordinator_consulted, c, "consult the coordinator first")?;
                need(
                    with_measure
                        .iter()
                        .all(|d| consulted_developers.contains(d)),
                    c,
                    "consult every developer whose countermeasure is shared",
                )?;
                need(
                    *discoverer_told_at <= at,
                    c,
                    "tell the discoverer beforehand (事前に)",
                )?;
                self.early_notices.push(EarlyNotice {
                    bodies: bodies.clone(),
                    reason: reason.clone(),
                    consulted_developers: consulted_developers.clone(),
                    discoverer_told_at: *discoverer_told_at,
                    at,
                });
                let notices = bodies
                    .iter()
                    .map(|b| Notice {
                        to: Party::Government(b.clone()),
                        what: NoticeKind::EarlyNotice,
                    })
                    .collect();
                Ok(Applied { clause: c, notices })
            }
            Command::ShareForAnalysis { analyst, purpose } => {
                let (c, ok) = match by {
                    Party::ReceivingBody => (
                        Clause::SwReceiving5,
                        matches!(
                            self.stage,
                            Stage::Submitted | Stage::Accepted | Stage::Coordinating
                        ),
                    ),
                    Party::Coordinator => (Clause::SwCoordinator9, coordinating),
                    _ => return Err(deny(Clause::SwReceiving5, by, "share for analysis")),
                };
                self.stage_is(ok, c, "share for analysis")?;
                need(
                    !blank(analyst) && !blank(purpose),
                    c,
                    "name the analyst and the purpose",
                )?;
                self.analyses.push(AnalysisShare {
                    analyst: analyst.clone(),
                    by: by.clone(),
                    purpose: purpose.clone(),
                    at,
                });
                Ok(Applied {
                    clause: c,
                    notices: vec![],
                })
            }
            Command::UpdateConsent { consent } => {
                let c = Clause::SwReceiving4;
                if *by != Party::Discoverer {
                    return Err(deny(c, by, "change the discoverer's consent"));
                }
                need(
                    self.flow == Flow::ThirdParty,
                    c,
                    "a developer's own report has no discoverer consent",
                )?;
                self.report.consent = consent.clone();
                Ok(Applied {
                    clause: c,
                    notices: vec![],
                })
            }
            Command::Cancel { ground } => {
                let c = ground.clause();
                if *by != Party::Coordinator {
                    return Err(deny(c, by, "cancel publication"));
                }
                self.stage_is(coordinating && self.flow == Flow::ThirdParty, c, "cancel")?;
                if let Some(date) = self.publication_date() {
                    need(
                        at < date,
                        c,
                        "only before the publication date (脆弱性情報公表日までに)",
                    )?;
                }
                need(
                    !self.developers.is_empty(),
                    c,
                    "no developer has been notified",
                )?;
                // Every developer on the case must have said so: silence, unreachable and
                // not-yet-contacted developers block cancellation.
                let pending: Vec<DeveloperId> = self
                    .developers
                    .values()
                    .filter(|t| match ground {
                        CancelGround::AllKnown => {
                            !(t.status.has_verification() && t.novelty == Some(Novelty::Known))
                        }
                        CancelGround::AllNotAffected => t.status != DeveloperStatus::NotAffected,
                    })
                    .map(|t| t.developer.clone())
                    .collect();
                if !pending.is_empty() {
                    return Err(VulnError::AnswersPending { clause: c, pending });
                }
                let what = NoticeKind::Cancelled { ground: *ground };
                let mut notices = vec![Notice {
                    to: Party::ReceivingBody,
                    what: what.clone(),
                }];
                notices.extend(self.tell_notified(what));
                self.stage = Stage::Cancelled { ground: *ground };
                Ok(Applied { clause: c, notices })
            }
            Command::Publish => {
                let c = if self.flow == Flow::OwnProduct {
                    Clause::Own2
                } else {
                    Clause::SwCoordinator6
                };
                if *by != Party::Coordinator {
                    return Err(deny(c, by, "publish"));
                }
                self.stage_is(coordinating, c, "publish")?;
                let date = self.publication_date().ok_or(VulnError::Condition {
                    clause: Clause::SwCoordinator3,
                    what: "the publication date is set first",
                })?;
                if at < date {
                    return Err(VulnError::BeforePublicationDate { clause: c, date });
                }
                need(
                    self.advisory.is_some(),
                    c,
                    "the advisory text (Japanese and English) is written first",
                )?;
                need(
                    self.developers
                        .values()
                        .any(|t| t.status != DeveloperStatus::NotContacted),
                    c,
                    "the advisory carries the results of the developers contacted",
                )?;
                self.stage = Stage::Published { at };
                let mut notices = vec![
                    Notice {
                        to: Party::Public,
                        what: NoticeKind::Published,
                    },
                    Notice {
                        to: Party::ReceivingBody,
                        what: NoticeKind::Published,
                    },
                ];
                if self.flow == Flow::ThirdParty {
                    notices.push(Notice {
                        to: Party::Discoverer,
                        what: NoticeKind::Published,
                    });
                }
                notices.extend(self.tell_notified(NoticeKind::Published));
                Ok(Applied { clause: c, notices })
            }
        }
    }

    fn reply(
        &mut self,
        by: &Party,
        at: OffsetDateTime,
        developer: &DeveloperId,
        reply: &Reply,
        source: &Option<String>,
    ) -> Result<Applied, VulnError> {
        let c = Clause::SwDeveloper2;
        match by {
            Party::Developer(d) if d == developer => {}
            Party::Coordinator => need(
                source.as_deref().is_some_and(|s| !blank(s)),
                c,
                "an answer the coordinator records names the developer's message it came from",
            )?,
            _ => return Err(deny(c, by, "answer for this developer")),
        }
        let published = matches!(self.stage, Stage::Published { .. });
        let late_ok = matches!(reply, Reply::Status { .. } | Reply::Countermeasure(_));
        self.stage_is(
            matches!(self.stage, Stage::Coordinating) || (published && late_ok),
            c,
            "record a developer's answer",
        )?;
        let source = if *by == Party::Coordinator {
            source.clone()
        } else {
            None
        };
        let clause = self.thread(developer, c)?.reply(reply, at, by, source)?;
        let what = NoticeKind::Answered {
            developer: developer.clone(),
        };
        let mut notices = vec![Notice {
            to: Party::ReceivingBody,
            what: what.clone(),
        }];
        if *by != Party::Coordinator {
            notices.push(Notice {
                to: Party::Coordinator,
                what,
            });
        }
        Ok(Applied { clause, notices })
    }

    fn set_date(
        &mut self,
        by: &Party,
        at: OffsetDateTime,
        date: OffsetDateTime,
        basis: &DateBasis,
    ) -> Result<Applied, VulnError> {
        let c = if self.flow == Flow::OwnProduct {
            Clause::Own2
        } else {
            Clause::SwCoordinator3
        };
        if *by != Party::Coordinator {
            return Err(deny(c, by, "set the publication date"));
        }
        self.stage_is(
            matches!(self.stage, Stage::Coordinating),
            c,
            "set the publication date",
        )?;
        need(date > at, c, "the publication date lies in the future")?;
        let answered: Vec<DeveloperId> = self
            .developers
            .values()
            .filter(|t| t.status.has_verification())
            .map(|t| t.developer.clone())
            .collect();
        match self.flow {
            Flow::OwnProduct => need(
                basis
                    .developer_opinion
                    .as_deref()
                    .is_some_and(|s| !blank(s)),
                c,
                "the date is set after hearing the developer (意見を聴取した上で)",
            )?,
            Flow::ThirdParty => {
                need(
                    self.notified_developers().next().is_some(),
                    c,
                    "notify the developers before setting the date",
                )?;
                if answered.is_empty() {
                    need(
                        basis.precedent.as_deref().is_some_and(|s| !blank(s)),
                        c,
                        "with no developer's result, the date weighs precedents (取扱事例) explicitly",
                    )?;
                }
            }
        }
        let changes = match &self.publication {
            Some(p) => {
                need(!blank(&basis.note), c, "a changed date says why")?;
                p.changes + 1
            }
            None => 0,
        };
        self.publication = Some(PublicationDate {
            date,
            set_at: at,
            basis: basis.clone(),
            answers_considered: answered,
            changes,
        });
        let what = NoticeKind::PublicationDate { date };
        let mut notices = vec![Notice {
            to: Party::ReceivingBody,
            what: what.clone(),
        }];
        notices.extend(self.tell_notified(what));
        Ok(Applied { clause: c, notices })
    }
}

"""The demo's story lines: the showcase customers, repeat chains, waves, rude callers, Saturday chats,
the everyday traffic, unknown callers and the queue of open work (pure Python, no Django).

`StoryPlanner` adds them to the `timeline.Planner`; `generator.build_plan` calls them in a fixed order,
since they all draw from the one `random.Random`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from gezien.demo import content
from gezien.demo.clock import MONTHS, add_workdays, local_time, skip_sunday
from gezien.demo.population import DemoCustomer
from gezien.demo.scenarios import AGENT
from gezien.demo.timeline import (
    BASE_PER_WEEKDAY,
    DAY_FACTOR,
    WINDOW_DAYS,
    Planner,
    fits_status,
)

ORDER_ITEMS: tuple[str, ...] = content.organisation().slots.order_items


class StoryPlanner(Planner):
    """The planner with the demo's story lines."""

    # --- the hand-composed demo customers ---------------------------------------------------------------
    def showcase(self, roles: dict[str, str]) -> None:
        """Compose the histories of the demo customers; `roles` maps a role to a customer key."""
        rng = self.rng
        c = self.by_key
        # c0001 mevrouw Jansen, whose husband Henk died about five weeks ago
        widow = c[roles["widow"]]
        widow.life_event = "widow_cancel"
        widow_call = self.at(33, 10, 12)
        widow.partner = "Henk"
        self.widow_slots(widow, widow_call)
        self.add(widow, "invoice_indexation_u", self.at(58, 14, 31), agent="naomi.pinas", transcript=False)
        self.add(widow, "widow_postcode_first", widow_call, agent="daan.visser", transcript=True)
        follow = self.add(
            widow, "widow_followup_invoice_phone", self.at(19, 11, 2), agent="agent", transcript=True
        )
        follow.promise_done = True
        self.add(widow, "widow_callback_voicemail", self.queue_time("phone", "open"), status="open")
        after_follow = follow.opened_at + timedelta(minutes=14)
        self.detail(widow, "addressing", "Mevrouw Jansen", "agent", after_follow, register="u")
        self.detail(
            widow, "preference", "Wil alles per post bevestigd; heeft geen computer", "agent", after_follow
        )

        # c0002 Samira Aarab: the same late delivery, five contacts in twelve days; the fifth waits now
        samira = c[roles["fifth_contact"]]
        self.add(samira, "chat_upgrade_je", self.at(40, 20, 5), agent="lotte.brouwer")
        times = [
            self.at(12, 10, 14),
            self.at(9, 19, 40),
            self.at(6, 12, 5),
            self.at(3, 8, 12),
            self.now - timedelta(minutes=22),
        ]
        self.chain(
            samira,
            "late_delivery_repeat",
            times,
            ["phone", "chat", "phone", "email", "chat"],
            agents=["mark.vandijk", "lotte.brouwer", "fatima.elamrani", "tim.hoekstra", None],
            product="Samsung Galaxy S25",
            last_status="open",
        )
        self.detail(
            samira, "addressing", "Samira", "mark.vandijk", times[0] + timedelta(minutes=9), register="je"
        )

        # c0003 Ronald Kramer: abusive when his internet fails
        ronald = c[roles["rude_caller"]]
        self.add(ronald, "tech_modem_reset_u", self.at(41, 9, 20), agent="shanti.ramdin", transcript=False)
        self.add(ronald, "rude_outage_ended", self.at(20, 16, 48), agent="agent", transcript=True)
        self.add(
            ronald,
            "tech_modem_broken_technician",
            self.at(19, 9, 3),
            agent="fatima.elamrani",
            transcript=True,
        )
        self.add(ronald, "rude_double_charge_calms", self.at(5, 13, 37), agent="agent", transcript=True)
        self.add(
            ronald,
            "mail_rude_again_u",
            self.now - timedelta(minutes=50),
            status="waiting_us",
            agent="agent",
        )

        # c0004 Fleur Dijkstra: Saturday-morning chats
        fleur = c[roles["saturday_chatter"]]
        saturdays = [self.saturday_before(self.today - timedelta(days=7 * k)) for k in (8, 4, 1)]
        for sat, key, agent in zip(
            saturdays,
            ("sat_wifi_name", "sat_football", "sat_package_today"),
            ("lotte.brouwer", "agent", "naomi.pinas"),
            strict=True,
        ):
            self.add(fleur, key, local_time(sat, rng.randint(9, 11), rng.randint(0, 59)), agent=agent)
        self.add(
            fleur,
            "chat_compliment_je",
            local_time(saturdays[1] + timedelta(days=3), 20, 11),
            agent="mark.vandijk",
        )
        first_chat = local_time(saturdays[0], 12, 30)
        self.detail(fleur, "addressing", "Fleur", "lotte.brouwer", first_chat, register="je")
        self.detail(
            fleur, "preference", "Chat het liefst; bellen lukt overdag niet", "lotte.brouwer", first_chat
        )

        # c0005 Gerard van der Heijden: formal letters after a technician did not show up
        gerard = c[roles["formal_complainer"]]
        call = self.add(gerard, "tech_modem_broken_technician", self.at(31, 10, 40), agent="tim.hoekstra")
        call.promise_done = False
        self.add(gerard, "letter_technician_noshow", self.at(27, 7, 55), agent="emre.yilmaz")
        self.add(gerard, "letter_billing", self.at(12, 21, 14), agent="agent")
        self.detail(
            gerard, "addressing", "De heer Van der Heijden", "emre.yilmaz", self.at(27, 13, 0), register="u"
        )

        # c0006 Ayşe Kaya: works during the day, wants to be called after five
        ayse = c[roles["callback_after_17"]]
        cb = self.add(ayse, "callback_after_17_u", self.at(16, 17, 36), agent="youssef.benali")
        cb.promise_done = True
        self.add(
            ayse,
            "promise_contract_u",
            self.at(2, 17, 41),
            agent="agent",
            transcript=True,
            date_slots={"dag": add_workdays(self.today, 1)},  # the callback is still to come
        )
        self.detail(ayse, "addressing", "Mevrouw Kaya", "youssef.benali", self.at(16, 17, 50), register="u")

        # c0007 Jeroen de Groot: repeated faults, now leaving; a retention offer waits for his answer
        jeroen = c[roles["churn_risk"]]
        self.add(jeroen, "chat_wifi_drops_je", self.at(26, 21, 3), agent="lotte.brouwer")
        self.add(jeroen, "tech_evening_drops_je", self.at(18, 18, 20), agent="daan.visser", transcript=True)
        self.add(jeroen, "churn_cheaper_je", self.at(4, 12, 50), agent="agent", transcript=True)
        self.add(
            jeroen,
            "mail_churn_offer_je",
            self.now - timedelta(hours=19),
            status="waiting_customer",
            agent="agent",
        )

        # c0008 mevrouw Verbeek: in hospital, the technician visit is moved
        annie = c[roles["hospital"]]
        self.add(annie, "tech_tv_no_signal", self.at(23, 11, 15), agent="naomi.pinas", transcript=False)
        self.add(annie, "hospital_technician_u", self.at(8, 15, 2), agent="naomi.pinas", transcript=True)
        self.detail(annie, "addressing", "Mevrouw Verbeek", "naomi.pinas", self.at(8, 15, 30), register="u")

        # c0009 Rajesh Ramcharan: the same broken modem, five calls
        rajesh = c[roles["broken_modem"]]
        self.chain(
            rajesh,
            "fault_repeat",
            [
                self.at(17, 9, 5),
                self.at(14, 19, 12),
                self.at(10, 8, 31),
                self.at(6, 17, 55),
                self.at(2, 10, 2),
            ],
            ["phone", "phone", "phone", "phone", "phone"],
            agents=["shanti.ramdin", "daan.visser", "agent", "tim.hoekstra", "agent"],
            product="VT Box 5",
        )

    def saturday_before(self, d: date) -> date:
        return d - timedelta(days=(d.weekday() - 5) % 7)

    def widow_slots(self, cust: DemoCustomer, call: datetime) -> None:
        died = call.date() - timedelta(days=self.rng.randint(9, 24))
        self.customer_slots.setdefault(cust.key, {})["maand_overlijden"] = MONTHS[died.month - 1]
        if cust.partner:
            self.customer_slots[cust.key]["partner"] = cust.partner

    # --- story lines ----------------------------------------------------------------------------------------
    def chain(
        self,
        cust: DemoCustomer,
        scenario: str,
        times: list[datetime],
        channels: list[str],
        agents: list[str | None] | None = None,
        product: str | None = None,
        last_status: str = "closed",
    ) -> None:
        """Successive contacts about the same matter; every promised date passes before the next one."""
        rng = self.rng
        cust.in_chain = True
        order = f"VT{rng.randint(1000000, 9999999)}"
        product = product or rng.choice(ORDER_ITEMS)
        first = times[0].date()
        ordered = first - timedelta(days=rng.randint(6, 10))
        promised = [first - timedelta(days=1)]
        for i, (opened, channel) in enumerate(zip(times, channels, strict=True)):
            step = min(i + 1, 5)
            script = self.lib.pick(rng, scenario, channel=channel, register=cust.register, step=step)
            if script is None:
                for alternative in ("phone", "chat", "email"):
                    script = self.lib.pick(
                        rng, scenario, channel=alternative, register=cust.register, step=step
                    )
                    if script is not None and cust.has_channel(alternative):
                        channel = alternative
                        break
            if script is None:
                continue
            nxt = times[i + 1].date() if i + 1 < len(times) else None
            if nxt is not None:
                due = max(opened.date() + timedelta(days=1), nxt - timedelta(days=1))
                if due.weekday() == 6:
                    due = (
                        due - timedelta(days=1)
                        if due - timedelta(days=1) > opened.date()
                        else due + timedelta(days=1)
                    )
            else:
                due = skip_sunday(opened.date() + timedelta(days=rng.randint(2, 3)))
            self.add(
                cust,
                script,
                opened,
                channel,
                status=last_status if nxt is None else "closed",
                agent=agents[i] if agents else None,
                transcript=True if agents else None,
                text_slots={"order": order, "product": product},
                date_slots={
                    "datum": due,
                    "dag": due,
                    "vorige_datum": promised[-1],
                    "vorige_contact": times[i - 1].date() if i else first - timedelta(days=3),
                    "eerste_contact": first,
                    "eerste_datum": promised[0],
                    "besteldatum": ordered,
                },
                promise_done=False if nxt is not None else None,
            )
            promised.append(due)

    def chains(self) -> None:
        rng = self.rng
        plans = [("late_delivery_repeat", n) for n in (5, 4, 5, 3, 4, 3, 5)] + [
            ("fault_repeat", n) for n in (4, 3, 5)
        ]
        starts = rng.sample(range(20, 64), len(plans))
        for (scenario, length), start in zip(plans, starts, strict=True):
            candidates = [
                c
                for c in self.customers
                if not c.showcase
                and not c.in_chain
                and sum(
                    bool(self.lib.find(scenario, ch, c.register))
                    for ch in ("chat", "email")
                    if c.has_channel(ch)
                )
            ]
            cust = rng.choice(candidates)
            times: list[datetime] = []
            channels: list[str] = []
            d = self.day(start)
            for step in range(1, length + 1):
                options = [
                    ch
                    for ch in ("phone", "chat", "email")
                    if cust.has_channel(ch) and self.lib.find(scenario, ch, cust.register, step)
                ]
                if not options:
                    break
                weights = [0.4 if channels and ch == channels[-1] else 1.0 for ch in options]
                channel = rng.choices(options, weights)[0]
                t = self.time_on(d, channel)
                while t is None:
                    d += timedelta(days=1)
                    t = self.time_on(d, channel)
                times.append(t)
                channels.append(channel)
                d += timedelta(
                    days=rng.randint(2, 4) if scenario == "late_delivery_repeat" else rng.randint(2, 5)
                )
            if len(times) >= 3 and times[-1] < self.now - timedelta(days=1):
                self.chain(cust, scenario, times, channels)

    def widows(self) -> None:
        rng = self.rng
        for key in (
            "widow_condolence_signpost",
            "widow_keep_internet",
            "widow_upsell",
            "widow_condolence_signpost",
        ):
            s = self.lib.key(key)
            cust = self.customer_for(s, "phone")
            if cust is None:
                continue
            t = None
            while t is None:
                t = self.time_on(self.day(rng.randint(12, 66)), "phone")
            self.widow_slots(cust, t)
            self.add(cust, s, t, transcript=rng.random() < 0.85)
            if rng.random() < 0.6:
                channel = "email" if cust.email and rng.random() < 0.5 else "phone"
                follow = [
                    f
                    for f in self.lib.find("widow_followup", channel, "u")
                    if channel != "phone" or f.turns[0].author == AGENT
                ]
                ft = self.time_on(t.date() + timedelta(days=rng.randint(9, 20)), channel)
                if follow and ft is not None and ft < self.now - timedelta(days=1):
                    self.add(cust, rng.choice(follow), ft, channel)

    def rude(self) -> None:
        rng = self.rng
        scripts = self.lib.find("rude_caller") + self.lib.find("rude_chat")
        for s in scripts + [rng.choice(scripts) for _ in range(4)]:
            cust = self.customer_for(s, s.channel)
            t = None
            while t is None:
                t = self.time_on(self.day(rng.randint(3, 68)), s.channel)
            if cust is not None:
                self.add(cust, s, t, transcript=rng.random() < 0.85)

    def saturdays(self) -> None:
        rng = self.rng
        scripts = self.lib.find("informal_saturday_chat")
        for offset in range(WINDOW_DAYS - 1, -1, -1):
            d = self.day(offset)
            if d.weekday() != 5:
                continue
            for _ in range(rng.randint(4, 7)):
                s = rng.choice(scripts)
                t = local_time(d, rng.randint(9, 11), rng.randint(0, 59), rng.randint(0, 59))
                cust = self.customer_for(s, "chat")
                if cust is not None and t < self.now - timedelta(minutes=50):
                    self.add(cust, s, t)

    def waves(self) -> None:
        # week -6: the Fairphone 6 is sold out
        monday = self.day(42) - timedelta(days=self.day(42).weekday())
        restock = monday + timedelta(days=17)
        self.wave(
            "stock_wave",
            monday,
            [(0, 7), (1, 20), (2, 17), (3, 12), (4, 7), (5, 4), (7, 3)],
            {"toestel": "Fairphone 6", "product": "Fairphone 6", "week": f"week {restock.isocalendar()[1]}"},
            {"datum": restock},
        )
        # week -3: the carrier and the warehouse in Tilburg are stuck
        monday = self.day(21) - timedelta(days=self.day(21).weekday())
        self.wave(
            "logistics_wave", monday, [(0, 5), (1, 18), (2, 30), (3, 25), (4, 15), (5, 8), (7, 6)], {}, {}
        )

    def wave(
        self,
        scenario: str,
        monday: date,
        day_counts: list[tuple[int, int]],
        text_slots: dict[str, str],
        date_slots: dict[str, date],
    ) -> None:
        rng = self.rng
        used: set[str] = set()
        for index, count in day_counts:
            d = monday + timedelta(days=index)
            for _ in range(count):
                channel = rng.choices(("phone", "chat", "email", "webform"), (45, 25, 20, 10))[0]
                scripts = self.lib.find(scenario, channel)
                t = self.time_on(d, channel)
                if not scripts or t is None or t > self.now - timedelta(hours=1):
                    continue
                s = rng.choice(scripts)
                cust = self.customer_for(s, channel, avoid=used)
                if cust is None:
                    continue
                used.add(cust.key)
                dates = dict(date_slots)
                if scenario == "logistics_wave":
                    dates["besteldatum"] = d - timedelta(days=rng.randint(4, 8))
                    dates["datum"] = skip_sunday(d + timedelta(days=rng.randint(2, 4)))
                self.add(cust, s, t, channel, text_slots=dict(text_slots), date_slots=dates)

    def baseline(self) -> None:
        rng = self.rng
        for offset in range(WINDOW_DAYS - 1, -1, -1):
            d = self.day(offset)
            wd = d.weekday()
            mean = BASE_PER_WEEKDAY * DAY_FACTOR[wd]
            n = max(0, round(rng.gauss(mean, mean * 0.12)))
            if wd < 5:
                mix: tuple[float, ...] = (50, 22, 18, 10)
            elif wd == 5:
                mix = (45, 30, 15, 10)
            else:
                mix = (0, 0, 60, 40)
            for _ in range(n):
                channel = rng.choices(("phone", "chat", "email", "webform"), mix)[0]
                t = self.time_on(d, channel)
                if t is None or t > self.now - timedelta(minutes=50):
                    continue
                scripts, weights = self.everyday[channel]
                s = rng.choices(scripts, weights)[0]
                cust = self.customer_for(s, channel)
                if cust is not None:
                    self.add(cust, s, t, channel)

    def unidentified(self) -> None:
        rng = self.rng
        n = round(len(self.episodes) * 0.031)
        for _ in range(n):
            channel = rng.choices(("phone", "email", "webform", "chat"), (45, 28, 17, 10))[0]
            t = None
            while t is None:
                t = self.time_on(self.day(rng.randint(2, WINDOW_DAYS - 1)), channel)
            self.add(None, rng.choice(self.anon_scripts(channel)), t, channel, anon=self.anon(channel))

    def queue(self) -> None:
        """Open work in the last two days, on every channel, so the desk has something to do."""
        rng = self.rng
        wanted = (
            [("phone", "open")] * 5
            + [("chat", "open")] * 6
            + [("chat", "waiting_customer")]
            + [("email", "open")] * 5
            + [("email", "waiting_us")] * 3
            + [("email", "waiting_customer")] * 3
            + [("webform", "open")] * 3
            + [("webform", "waiting_us"), ("webform", "waiting_customer")]
        )
        for channel, status in wanted:
            if channel == "phone":
                scripts = self.lib.find("callback_request", "phone")
            else:
                scripts = [s for s in self.everyday[channel][0] if fits_status(s, status)]
            s = rng.choice(scripts)
            cust = self.customer_for(s, channel)
            if cust is None:
                continue
            self.add(cust, s, self.queue_time(channel, status), channel, status=status)
        # two people we do not know yet
        for channel in ("phone", "email"):
            scripts = (
                self.lib.find("callback_request", "phone")
                if channel == "phone"
                else self.anon_scripts(channel)
            )
            s = rng.choice([s for s in scripts if fits_status(s, "open")])
            self.add(
                None, s, self.queue_time(channel, "open"), channel, status="open", anon=self.anon(channel)
            )
        # a few older matters wait for the customer (photos of a damaged parcel, a signed form)
        for _ in range(4):
            channel = rng.choice(("email", "webform"))
            s = rng.choice([s for s in self.everyday[channel][0] if fits_status(s, "waiting_customer")])
            cust = self.customer_for(s, channel)
            t = self.time_on(self.day(rng.randint(3, 6)), channel)
            if cust is not None and t is not None:
                self.add(cust, s, t, channel, status="waiting_customer")

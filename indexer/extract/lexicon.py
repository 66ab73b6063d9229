"""Hand-kept word lists that tell names from the capitalised words around them.

Kept apart from the rules in :mod:`indexer.extract.people` so that a reviewer can
read (and extend) the vocabulary without reading the algorithm. Everything is
lower-case; callers compare ``word.lower()`` with any trailing period removed.
"""

from __future__ import annotations

#: Honorifics and job titles that precede a name ("Mr. Kono", "Secretary of State Mike
#: Pompeo", "leader Kim Jong Un"). They cue a person and are never part of the name.
TITLES = frozenset("""
mr mrs ms miss mx dr prof sir dame lord lady madam monsieur mme herr frau
president vice-president president-elect premier prime minister ministers secretary
undersecretary under-secretary chancellor vice-chancellor senator sen rep representative
congressman congresswoman assemblyman assemblywoman councillor councilman councilwoman
gov governor lt-gov mayor king queen prince princess emperor empress crown sheikh sheik
emir amir sultan crown-prince pope ayatollah imam rabbi cardinal archbishop bishop rev
reverend father pastor sister general gen lieutenant lt colonel col major maj captain
capt admiral adm commander cmdr sergeant sgt corporal cpl private pvt marshal brig
brigadier field chief justice judge magistrate ambassador envoy consul attache leader
chairman chairwoman chairperson chair director spokesman spokeswoman spokesperson
treasurer comptroller commissioner inspector detective superintendent constable
sheriff deputy assistant officer official analyst economist strategist adviser advisor
counsel attorney lawyer barrister solicitor prosecutor professor dean principal coach
manager boss striker midfielder defender goalkeeper keeper forward winger batsman
bowler captain skipper actor actress singer songwriter rapper director producer
writer author novelist poet playwright comedian presenter host anchor correspondent
reporter editor columnist commentator founder co-founder chief-executive ceo cfo coo
executive chief-of-staff speaker whip candidate nominee challenger incumbent rival
dictator strongman warlord militant cleric monarch regent viceroy head mp mep msp mla
aide dj
""".split())

#: Titles that make a lone surname a person ("President Reagan", "Mr Blair"); broader
#: titles ("General Electric", "Chief Executive", "Star Wars") do not.
HONORIFICS = frozenset("""
mr mrs ms miss dr prof sir dame lord lady president premier minister secretary chancellor
senator sen rep congressman congresswoman gov governor mayor king queen prince princess
emperor sheikh emir sultan pope ayatollah imam rabbi cardinal archbishop bishop rev
reverend gen lt col maj capt adm sgt ambassador chairman chairwoman judge justice
singer rapper actor actress model designer chef artist comedian coach striker midfielder
defender goalkeeper skipper
""".split())

#: Lower-case words that, right before a capitalised span, still cue a person
#: ("said spokesman John Smith", "the late Pope John Paul").
LOWER_CUES = TITLES | frozenset("""
said says told according wife husband son daughter brother mother widow
champion winner driver player rider boxer golfer runner star
activist campaigner dissident blogger journalist photographer autocrat
""".split())


#: Modifiers that may sit between a title and the name or before the title
#: ("former President Jimmy Carter"); stripped like titles.
TITLE_MODIFIERS = frozenset("""
former late then acting interim incoming outgoing deputy vice foreign finance defence
defense interior home trade state treasury justice energy agriculture health education
labor labour transport transportation economy economic commerce industry environment
culture sports information security intelligence military shadow opposition party
majority minority senate house federal national supreme high district appeals circuit
central reserve bank board of the general attorney surgeon postmaster public
executive managing senior junior chief first second head lead team club company
""".split())

#: Words that end or make up names of organisations, places, events and things; a span
#: containing one is not a person ("Central Intelligence Agency", "Middle East").
NON_NAME_WORDS = frozenset("""
wars agency bank banks corp corporation inc co ltd plc llc group party ministry department
dept council committee commission university college school academy association union
federation league club fund reserve board court courts police army navy force forces
airlines airline airways motors airport hospital institute foundation times post news
press journal street st avenue ave road square bridge river mountain mountains mount
island islands sea ocean gulf peninsula valley park city county state states province
republic kingdom empire church cathedral mosque temple palace house hall center centre
stadium arena gardens garden barracks tavern cup prix grand formula championship championships open games olympics olympic festival awards
award prize show parliament congress senate assembly cabinet government administration
office service services exchange market markets securities capital holdings partners
bancorp trust systems technologies technology software energy oil petroleum gas
chemical chemicals industries industry international national federal central
communications telecom network networks television tv radio records studios pictures
entertainment music media magazine review index act treaty accord agreement plan war
revolution movement front brigade brigades division corps command guard guards
museum gallery library theatre theater opera orchestra band company companies
airport station port harbour harbor canal strait bay lake desert coast east west north
south middle northern southern eastern western region regional area district zone
world global europe european africa african asia asian america americas pacific
atlantic arctic antarctic mediterranean caribbean gulf latin arab arabic islamic
muslim muslims christian christians jewish catholic protestant orthodox sunni shia
shiite kurdish kurds internet web online google facebook twitter apple microsoft
prime minister ministers secretary council day night week weekend year years
monday tuesday wednesday thursday friday saturday sunday
january february march september october november december
christmas easter ramadan thanksgiving new year summer winter spring autumn fall
god lord allah jesus bible koran quran
english french german spanish latin greek chinese japanese russian
billion million trillion percent pct dollar dollars yen euro euros sterling pound pounds
medical financial advisors advisers realty investors investment investments inns hotel hotels
resorts properties foods products brands stores mining mines steel motor electric electronics
insurance savings loan bancshares bankshares equities equity associates brothers sons reuter
reuters based nippon shipping lines railroad railway petroleum pharmaceuticals laboratories
labs manufacturing inn bonds mkt power refining traffic solutions imaging video program
research enterprises ventures resources minerals metals gold realty homes
dlrs dlr cents cent rates interbank bros
deutsche boerse bourse borse banque banco
""".split())

#: Words often capitalised at the start of a sentence or headline; never a name there.
FUNCTION_WORDS = frozenset("""
a an the this that these those there here it its he she they we you i his her their our
your my me him them us in on at by for from with without of to into onto over under
after before during since until while when where why how what which who whom whose as
and but or nor so yet if then than because although though however meanwhile also
still even just only not no yes all any some many much more most few several each every
both either neither one two three four five six seven eight nine ten first second third
last next new old other another such about above below between among against across
through throughout toward towards upon within according despite unlike like
analysts officials sources police experts critics officers residents people shares
is are was were be been being has have had do does did will would shall should can could
may might must let please thanks thank dear ahead earlier later today tomorrow yesterday
now once again already soon instead indeed perhaps maybe overall finally separately
elsewhere nevertheless nonetheless furthermore moreover besides otherwise hi hello
""".split())

#: Lower-case particles allowed inside a name ("Bashar al-Assad", "Ursula von der Leyen").
PARTICLES = frozenset("al el bin ibn bint abu de da di du van von der den la le del dos das ter".split())

#: Family names written first (Korean, Chinese, Vietnamese, Cambodian), so a lone "Kim"
#: refers to "Kim Jong Un" rather than to someone whose given name is Kim.
FAMILY_NAME_FIRST = frozenset("""
kim lee park choi jung chung moon yoon roh chun ahn kang cho han shin
xi li wang zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin luo
deng mao jiang wen zhu hun nguyen ban
""".split())

#: Abbreviations that keep their period inside a name span ("Mr. Kono", "Gen. Smith").
ABBREVIATIONS = frozenset("""
mr mrs ms dr prof sen rep gov lt col gen maj capt adm cmdr sgt cpl pvt brig rev st
jr sr mt ft
""".split())

#: Given names in Faker's lists that are also everyday English words (adjectives, colours,
#: nouns, verbs). Chosen by hand from those lists: a word is here when a dictionary gives
#: it first as a word, not a name ("red", "case", "price", "hope"), which the BBC corpus
#: bears out by writing it lower-case mid-sentence more often than capitalised ("long"
#: 395/13, "price" 203/5). Names that news writes mostly as names stay out ("frank", "jack",
#: "guy", "grant", "bill", "mark", "grace", "chase": the rule cost "Bill Nighy", "Mark
#: Ruffalo", "Grace Hanks" and "Chase Elliott", named once in cast lists and results tables,
#: and caught no title or brand). Such a word opens a title or brand as often as a name ("Red Dead
#: Redemption", "Rice Krispies", "Long Train Running"), so it starts a person's name only
#: with more support. "will" and "may" are function words and no given name at all.
WEAK_GIVEN_NAMES = frozenset("""
red green golden silver orange amber coral jade crystal pink rosy sunny misty dusty rusty
true young little long early less lean lucky rich tiny odd sad mad loyal precious unique
urban innocent case rice price china rose hope art dawn star sky echo rock jet mile
storm forest eve atlas sierra metro meta phoenix creed trinity liberty faith charity
patience chance destiny victory peace harmony melody haven heaven bliss journey fate saga
era page line lot job cash chip link cap wing friend son peer floor doctor server branch
kit beta dot tone ace tea trace gala gang dock miracle blessing comfort per beat
add carry kick hunt harm rush roll sing marry skip edit
""".split())

# -- organisations (indexer.extract.organisations) ------------------------------------

#: Company-name suffixes, dropped from an organisation's name ("Merrill Lynch and Co Inc"
#: is "Merrill Lynch"). Lower-case, compared without the final period.
COMPANY_SUFFIXES = frozenset("""
inc incorporated corp co cos ltd limited plc llc lp l.p ag sa s.a nv n.v gmbh bhd berhad
spa s.p.a ab oy kk pty pte
""".split())
#: The same suffixes as wire copy writes them after a name (case matters: "SA", not "sa").
COMPANY_SUFFIXES_CASED = ("Inc", "Incorporated", "Corp", "Co", "Cos", "Ltd", "Limited", "Plc",
                          "PLC", "plc", "LLC", "L\\.P", "LP", "AG", "SA", "S\\.A", "NV", "N\\.V",
                          "GmbH", "Bhd", "Berhad", "SpA", "S\\.p\\.A", "AB", "Oy", "KK", "Pty")

#: Words that end an organisation's name ("Chase Manhattan Bank", "Labour Party",
#: "Leeds United"); a span ending in one names an organisation, not a person.
ORG_HEADS = frozenset("""
bank banks bancorp bancorporation banque bankshares bancshares group securities brothers bros
airlines airline airways corporation company companies agency fund party council commission
committee organisation organization association union federation confederation exchange
holdings industries motors trust partners investments insurance assurance petroleum
chemicals pharmaceuticals laboratories electronics telecommunications communications
systems technologies resources enterprises ventures foods stores mining minerals metals
steel oil energy utilities shipping railroad railway railways ministry department office
bureau authority institute institution foundation society club assembly
parliament congress senate court tribunal board reserve community secretariat
cooperative co-operative alliance coalition front movement army police service services
network broadcasting studios records pictures markets capital international
fc afc united rovers wanderers athletic albion hotspur rangers
""".split())
#: Heads that take "of" before the rest of the name ("Bank of Japan", "Council of Ministers").
ORG_HEADS_OF = frozenset("""
bank council commission committee organisation organization association union federation
confederation ministry department office bureau institute society league board chamber
court university
""".split())
#: Heads of government offices that may be named by their job alone; such a name ("Finance
#: Ministry", "Central Bank", "Trade Department") is no organisation of its own.
GENERIC_ORG_HEADS = frozenset("""
ministry ministries department bank office committee court agency bureau authority service
services board commission council
""".split())

#: International bodies (the organisations Reuters-21578 tags in its ORGS category, and a
#: few that BBC news names), as wire copy abbreviates them, with their spelled-out names.
#: The key is the facet value (the abbreviation wire copy uses); the other forms resolve to it.
BODY_FORMS: dict[str, tuple[str, ...]] = {
    "OPEC": ("Organisation of Petroleum Exporting Countries",
             "Organization of Petroleum Exporting Countries"),
    "OAPEC": ("Organisation of Arab Petroleum Exporting Countries",
              "Organization of Arab Petroleum Exporting Countries"),
    "IMF": ("International Monetary Fund",),
    "EC": ("European Community", "European Communities"),
    "EEC": ("European Economic Community",),
    "EU": ("European Union",),
    "GATT": ("General Agreement on Tariffs and Trade",),
    "OECD": ("Organisation for Economic Cooperation and Development",
             "Organization for Economic Cooperation and Development"),
    "UN": ("United Nations", "U.N."),
    "UNCTAD": ("United Nations Conference on Trade and Development",),
    "ASEAN": ("Association of Southeast Asian Nations", "Association of South East Asian Nations"),
    "NATO": ("North Atlantic Treaty Organisation", "North Atlantic Treaty Organization"),
    "IAEA": ("International Atomic Energy Agency",),
    "IEA": ("International Energy Agency",),
    "FAO": ("Food and Agriculture Organisation", "Food and Agriculture Organization"),
    "ILO": ("International Labour Organisation", "International Labor Organization"),
    "WTO": ("World Trade Organisation", "World Trade Organization"),
    "EFTA": ("European Free Trade Association",),
    "EIB": ("European Investment Bank",),
    "BIS": ("Bank for International Settlements",),
    "ADB": ("Asian Development Bank",),
    "IDA": ("International Development Association",),
    "COMECON": ("Council for Mutual Economic Assistance",),
    "GCC": ("Gulf Cooperation Council",),
    "IATA": ("International Air Transport Association",),
    "Federal Reserve": ("Fed", "Federal Reserve Board", "Federal Reserve System"),
    "World Bank": (),
    "Bundesbank": (),
    "SEC": ("Securities and Exchange Commission",),
    "FBI": ("Federal Bureau of Investigation",),
    "CIA": ("Central Intelligence Agency",),
    "BBC": ("British Broadcasting Corporation",),
    "FIFA": (),
    "UEFA": (),
}
#: Abbreviations found as written in mixed-case text ("OPEC", "EC") -> facet value.
BODIES = {form: value for value, forms in BODY_FORMS.items() for form in (value, *forms)
          if form.isupper() and "." not in form}
